package dev.hsdo.discovery.dns.dnsjava;

import dev.hsdo.config.DnsSourceConfig;
import dev.hsdo.discovery.dns.DnsLookupException;
import dev.hsdo.discovery.dns.SrvAnswer;
import dev.hsdo.discovery.dns.SrvLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link SrvLookup} with dnsjava: asks the configured servers in order (the system resolver configuration
 * when none is configured) until one answers NOERROR or NXDOMAIN. A reply with the TC bit is asked again over
 * TCP, so a large record set is read whole. Targets missing from the additional section are resolved with an
 * A query, then AAAA when there is no A record, on the server that answered the SRV query.
 */
public final class DnsjavaSrvLookup implements SrvLookup {
    private static final Logger log = LoggerFactory.getLogger(DnsjavaSrvLookup.class);

    /** One server, asked over UDP first and over TCP for truncated replies. */
    private record Peer(String label, SimpleResolver udp, SimpleResolver tcp) {}

    /** A reply that says the server cannot answer (SERVFAIL, REFUSED, ...): the next server is asked. */
    private static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    private final List<Peer> peers;

    private DnsjavaSrvLookup(List<Peer> peers) {
        this.peers = List.copyOf(peers);
    }

    /**
     * A lookup asking {@code config.servers()}, or the system's name servers when that list is empty.
     *
     * @throws IllegalArgumentException when no server is configured and the system configuration has none
     */
    public static DnsjavaSrvLookup of(DnsSourceConfig config) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        try {
            for (DnsSourceConfig.Server s : config.servers())
                // Validated IP literals: InetAddress parses them without any lookup.
                addresses.add(new InetSocketAddress(InetAddress.getByName(s.address()), s.port()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("source " + config.name() + ": " + e.getMessage(), e);
        }
        if (addresses.isEmpty()) addresses.addAll(ResolverConfig.getCurrentConfig().servers());
        if (addresses.isEmpty())
            throw new IllegalArgumentException("source " + config.name()
                    + ": no DNS servers configured and none in the system resolver configuration");
        List<Peer> peers = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            SimpleResolver udp = new SimpleResolver(a);
            udp.setTimeout(config.timeout());
            udp.setIgnoreTruncation(true);
            SimpleResolver tcp = new SimpleResolver(a);
            tcp.setTimeout(config.timeout());
            tcp.setTCP(true);
            String host = a.getAddress().getHostAddress();
            peers.add(new Peer((host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort(), udp, tcp));
        }
        return new DnsjavaSrvLookup(peers);
    }

    @Override
    public SrvAnswer lookup(String srvName) throws DnsLookupException {
        Name name;
        try {
            name = Name.fromString(srvName);
        } catch (TextParseException e) {
            throw new DnsLookupException("invalid name " + srvName + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        for (Peer p : peers) {
            try {
                return ask(p, name);
            } catch (IOException e) {
                problems.add(p.label() + ": " + describe(e));
            } catch (Unusable e) {
                problems.add(p.label() + ": " + e.getMessage());
            }
        }
        throw new DnsLookupException("no usable answer (" + String.join("; ", problems) + ")");
    }

    private SrvAnswer ask(Peer p, Name name) throws IOException, Unusable {
        Message reply = send(p, name, Type.SRV);
        if (reply.getRcode() == Rcode.NXDOMAIN) return new SrvAnswer(List.of(), Map.of(), -1, p.label());
        List<SrvAnswer.Srv> records = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record r : reply.getSection(Section.ANSWER)) {
            if (!(r instanceof SRVRecord srv)) continue;
            records.add(new SrvAnswer.Srv(srv.getPriority(), srv.getWeight(), srv.getPort(), lower(srv.getTarget())));
            ttl = Math.min(ttl, srv.getTTL());
        }
        Map<String, List<String>> addresses = new HashMap<>();
        for (Record r : reply.getSection(Section.ADDITIONAL)) {
            String address = address(r);
            if (address != null) addresses.computeIfAbsent(lower(r.getName()), k -> new ArrayList<>()).add(address);
        }
        for (SrvAnswer.Srv s : records) {
            if (s.target().equals(".") || addresses.containsKey(s.target())) continue;
            List<String> found = resolve(p, Name.fromString(s.target()), Type.A);
            if (found.isEmpty()) found = resolve(p, Name.fromString(s.target()), Type.AAAA);
            addresses.put(s.target(), found);
        }
        return new SrvAnswer(records, addresses, records.isEmpty() ? -1 : ttl, p.label());
    }

    /** The addresses of {@code target}; none when the name or the record type does not exist. */
    private List<String> resolve(Peer p, Name target, int type) throws IOException, Unusable {
        Message reply = send(p, target, type);
        List<String> out = new ArrayList<>();
        if (reply.getRcode() == Rcode.NXDOMAIN) return out;
        for (Record r : reply.getSection(Section.ANSWER)) {
            String address = address(r);
            if (address != null && r.getType() == type) out.add(address);
        }
        return out;
    }

    /** Sends one query; truncated replies are asked again over TCP. Anything but NOERROR or NXDOMAIN is unusable. */
    private static Message send(Peer p, Name name, int type) throws IOException, Unusable {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        Message reply = p.udp().send(query);
        if (reply.getHeader().getFlag(Flags.TC)) {
            log.debug("{} {} from {}: reply truncated, asking again over TCP", name, Type.string(type), p.label());
            reply = p.tcp().send(query);
        }
        int rcode = reply.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN)
            throw new Unusable(Rcode.string(rcode) + " for " + name + " " + Type.string(type));
        return reply;
    }

    private static String address(Record r) {
        if (r instanceof ARecord a) return a.getAddress().getHostAddress();
        if (r instanceof AAAARecord a) return a.getAddress().getHostAddress();
        return null;
    }

    private static String lower(Name n) {
        return n.toString().toLowerCase(Locale.ROOT);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }
}
