import Foundation
import Testing
import ThrottlePolicy
import TrafficControl

@testable import ThrottlectlCLI

/// The metrics file's text: one HELP and TYPE per family, escaped labels, counters read back.
struct PrometheusTextTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func metrics(_ interface: String, kind: WindowKind, upload: Bandwidth, download: Bandwidth? = nil,
                        end: Date? = now.addingTimeInterval(90.5)) -> InterfaceMetrics
    {
        var statistics = TrafficStatistics()
        statistics.bytes = 1234
        statistics.packets = 5
        statistics.drops = 1
        statistics.overlimits = 7
        return InterfaceMetrics(
            interface: interface,
            window: Window(allowance: Allowance(kind: kind, bandwidth: upload, download: download), start: nil, end: end),
            present: true, statistics: [.upload: statistics], applies: 3, errors: 2)
    }

    @Test func familiesAppearOnceWithTheirSamples() {
        let text = PrometheusText.render(
            [Self.metrics("eth0", kind: .workHours, upload: .bitsPerSecond(8_000_000), download: .unlimited),
             Self.metrics("eth1", kind: .nonWorkHours, upload: .bitsPerSecond(12))], now: Self.now)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0 == "# TYPE throttlectl_applies_total counter" }.count == 1)
        #expect(lines.filter { $0.hasPrefix("# HELP ") }.count == lines.filter { $0.hasPrefix("# TYPE ") }.count)
        #expect(lines.contains(#"throttlectl_configured_rate_bytes_per_second{interface="eth0",direction="upload"} 1000000"#))
        #expect(lines.contains(#"throttlectl_configured_rate_bytes_per_second{interface="eth0",direction="download"} +Inf"#))
        #expect(lines.contains(#"throttlectl_configured_rate_bytes_per_second{interface="eth1",direction="upload"} 1.500"#))
        #expect(lines.contains(#"throttlectl_window{interface="eth0",kind="work-hours"} 1"#))
        #expect(lines.contains(#"throttlectl_window{interface="eth1",kind="work-hours"} 0"#))
        #expect(lines.contains(#"throttlectl_next_transition_seconds{interface="eth0"} 90.500"#))
        #expect(lines.contains(#"throttlectl_qdisc_overlimits_total{interface="eth1",direction="upload"} 7"#))
        #expect(!text.contains(#"direction="download"} 1234"#), "no download TBF, no download counters")
        #expect(lines.last == "throttlectl_metrics_timestamp_seconds 1800000000")
        // Samples of one family are together, right after their TYPE line.
        let type = lines.firstIndex(of: "# TYPE throttlectl_errors_total counter")!
        #expect(lines[type + 1].hasPrefix("throttlectl_errors_total{interface=\"eth0\"}"))
        #expect(lines[type + 2].hasPrefix("throttlectl_errors_total{interface=\"eth1\"}"))
    }

    @Test func countersAreReadBackWithEscapedNames() {
        let odd = "we\"ird\\name"
        let text = PrometheusText.render([Self.metrics(odd, kind: .workHours, upload: .bitsPerSecond(8))], now: Self.now)
        #expect(text.contains(#"interface="we\"ird\\name""#))
        let counters = PrometheusText.counters(in: text)
        #expect(counters[odd]?.applies == 3)
        #expect(counters[odd]?.errors == 2)
        #expect(PrometheusText.counters(in: "garbage\nthrottlectl_applies_total{interface=\"x\"} many\n").isEmpty)
    }

    @Test func noScheduleNoWindowSamples() {
        let metrics = InterfaceMetrics(interface: "eth0", window: nil, present: false)
        let text = PrometheusText.render([metrics], now: Self.now)
        #expect(!text.contains("throttlectl_window"))
        #expect(text.contains(#"throttlectl_interface_present{interface="eth0"} 0"#))
    }
}
