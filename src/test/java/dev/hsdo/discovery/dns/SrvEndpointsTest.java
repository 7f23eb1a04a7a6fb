package dev.hsdo.discovery.dns;

import dev.hsdo.config.DnsSourceConfig.PriorityPolicy;
import dev.hsdo.config.DnsSourceConfig.WeightPolicy;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Tokens;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class SrvEndpointsTest {
    private static final String Q = "_http._tcp.app.svc.test.";

    private static SrvAnswer.Srv srv(int priority, int weight, int port, String target) {
        return new SrvAnswer.Srv(priority, weight, port, target);
    }

    private static SrvAnswer answer(List<SrvAnswer.Srv> records, Map<String, List<String>> addresses) {
        return new SrvAnswer(records, addresses, 30, "127.0.0.1:53");
    }

    private static SrvEndpoints.Result map(SrvAnswer a) {
        return SrvEndpoints.of(Q, a, PriorityPolicy.LOWEST, WeightPolicy.EQUAL);
    }

    @Test
    void identityIsTheTargetNameWithoutTrailingDotInLowerCaseAndThePort() {
        SrvEndpoints.Result r = map(answer(List.of(srv(10, 50, 20101, "Node1.SVC.test.")),
                Map.of("Node1.SVC.test.", List.of("127.0.0.1"))));
        assertThat(r.endpoints()).containsExactly(
                new Endpoint("node1.svc.test:20101", "127.0.0.1", 20101, null, null, Map.of()));
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void anAddressChangeKeepsTheIdentity() {
        Endpoint before = map(answer(List.of(srv(10, 50, 80, "a.test.")), Map.of("a.test.", List.of("10.0.0.1")))).endpoints().get(0);
        Endpoint after = map(answer(List.of(srv(10, 50, 80, "a.test.")), Map.of("a.test.", List.of("10.0.0.9")))).endpoints().get(0);
        assertThat(after.identity()).isEqualTo(before.identity());
        assertThat(after.address()).isEqualTo("10.0.0.9");
    }

    @Test
    void aLongTargetNameIsShortenedWithAHashSoTwoLongNamesStayDistinct() {
        String stem = "x".repeat(60) + ".";
        String a = SrvEndpoints.identity(stem + "one.test.", 8080);
        String b = SrvEndpoints.identity(stem + "two.test.", 8080);
        assertThat(a).hasSizeLessThanOrEqualTo(64).endsWith(":8080").isNotEqualTo(b);
        assertThat(Tokens.isName(a)).isTrue();
        assertThat(SrvEndpoints.identity(stem + "one.test.", 8080)).as("deterministic").isEqualTo(a);
    }

    @Test
    void aTargetThatIsNotAHostNameIsRejectedNamingIt() {
        assertThatThrownBy(() -> SrvEndpoints.identity("bad\\032name.test.", 80)).hasMessageContaining("not a host name");
        SrvEndpoints.Result r = map(answer(List.of(srv(1, 1, 80, "bad\\;x.test."), srv(1, 1, 80, "ok.test.")),
                Map.of("bad\\;x.test.", List.of("10.0.0.1"), "ok.test.", List.of("10.0.0.2"))));
        assertThat(r.endpoints()).extracting(Endpoint::identity).containsExactly("ok.test:80");
        assertThat(r.rejected()).singleElement().asString().contains(Q, "bad\\;x.test.", "not a host name");
    }

    @Test
    void aTargetWithoutAddressIsSkippedAndReported() {
        SrvEndpoints.Result r = map(answer(List.of(srv(1, 1, 80, "gone.test."), srv(1, 1, 80, "ok.test.")),
                Map.of("gone.test.", List.of(), "ok.test.", List.of("10.0.0.2"))));
        assertThat(r.endpoints()).extracting(Endpoint::identity).containsExactly("ok.test:80");
        assertThat(r.rejected()).containsExactly(Q + ": target 'gone.test.' port 80: no A or AAAA record (skipped)");
    }

    @Test
    void portZeroIsRejected() {
        SrvEndpoints.Result r = map(answer(List.of(srv(1, 1, 0, "a.test.")), Map.of("a.test.", List.of("10.0.0.1"))));
        assertThat(r.endpoints()).isEmpty();
        assertThat(r.rejected()).singleElement().asString().contains("port");
    }

    @Test
    void theDotTargetMeansNoServiceAndIsNotAnError() {
        SrvEndpoints.Result r = map(answer(List.of(srv(0, 0, 0, ".")), Map.of()));
        assertThat(r.endpoints()).isEmpty();
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void theLowestIpv4AddressIsUsedAndIpv6OnlyWithoutIpv4() {
        SrvEndpoints.Result r = map(answer(List.of(srv(1, 1, 80, "a.test."), srv(1, 1, 80, "b.test.")),
                Map.of("a.test.", List.of("2001:db8::1", "10.0.0.9", "10.0.0.3"), "b.test.", List.of("2001:db8::9", "2001:db8::2"))));
        assertThat(r.endpoints()).extracting(Endpoint::address).containsExactly("10.0.0.3", "2001:db8::2");
    }

    @Test
    void theLowestPriorityWithUsableTargetsServesAndTheOthersAreBackupsLeftOutOrEqualByPolicy() {
        List<SrvAnswer.Srv> records = List.of(srv(5, 1, 80, "nowhere.test."), srv(10, 1, 80, "a.test."),
                srv(10, 1, 81, "a.test."), srv(20, 1, 80, "b.test."));
        Map<String, List<String>> addresses = Map.of("a.test.", List.of("10.0.0.1"), "b.test.", List.of("10.0.0.2"));
        SrvAnswer answer = answer(records, addresses);
        assertThat(SrvEndpoints.of(Q, answer, PriorityPolicy.BACKUP, WeightPolicy.EQUAL).endpoints())
                .extracting(Endpoint::identity, Endpoint::backup)
                .containsExactly(tuple("a.test:80", false), tuple("a.test:81", false), tuple("b.test:80", true));
        assertThat(map(answer).endpoints()).extracting(Endpoint::identity).containsExactly("a.test:80", "a.test:81");
        assertThat(SrvEndpoints.of(Q, answer, PriorityPolicy.ALL, WeightPolicy.EQUAL).endpoints())
                .extracting(Endpoint::identity, Endpoint::backup)
                .containsExactly(tuple("a.test:80", false), tuple("a.test:81", false), tuple("b.test:80", false));
    }

    @Test
    void weightsAreEqualByDefaultAndTheSrvWeightCappedWhenAsked() {
        List<SrvAnswer.Srv> records = List.of(srv(1, 0, 80, "a.test."), srv(1, 50, 80, "b.test."), srv(1, 5000, 80, "c.test."));
        Map<String, List<String>> addresses = Map.of("a.test.", List.of("10.0.0.1"), "b.test.", List.of("10.0.0.2"),
                "c.test.", List.of("10.0.0.3"));
        assertThat(map(answer(records, addresses)).endpoints()).extracting(Endpoint::weight).containsOnlyNulls();
        assertThat(SrvEndpoints.of(Q, answer(records, addresses), PriorityPolicy.LOWEST, WeightPolicy.SRV).endpoints())
                .extracting(Endpoint::weight).containsExactly(1, 50, 256);
    }

    @Test
    void aTargetListedTwiceKeepsItsPreferredRecordWhateverTheOrder() {
        List<SrvAnswer.Srv> records = new ArrayList<>(List.of(srv(1, 10, 80, "a.test."), srv(1, 90, 80, "a.test."),
                srv(2, 99, 80, "a.test."), srv(1, 5, 80, "b.test.")));
        Map<String, List<String>> addresses = Map.of("a.test.", List.of("10.0.0.1"), "b.test.", List.of("10.0.0.2"));
        SrvEndpoints.Result first = SrvEndpoints.of(Q, answer(records, addresses), PriorityPolicy.ALL, WeightPolicy.SRV);
        Collections.reverse(records);
        SrvEndpoints.Result second = SrvEndpoints.of(Q, answer(records, addresses), PriorityPolicy.ALL, WeightPolicy.SRV);
        assertThat(first).isEqualTo(second);
        assertThat(first.endpoints()).extracting(Endpoint::weight).containsExactly(90, 5);
    }
}
