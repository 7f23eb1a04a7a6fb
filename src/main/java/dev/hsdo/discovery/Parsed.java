package dev.hsdo.discovery;

import dev.hsdo.model.Endpoint;

import java.util.List;

/**
 * What a source's parser made of one answer: the valid endpoints, in the order read, and one message per
 * thing it skipped (an invalid entry, or an invalid option of an otherwise valid entry).
 *
 * @param endpoints valid endpoints
 * @param rejected  "where: problem" per skipped entry or option
 */
public record Parsed(List<Endpoint> endpoints, List<String> rejected) {
    public Parsed {
        endpoints = List.copyOf(endpoints);
        rejected = List.copyOf(rejected);
    }
}
