import Foundation
import ThrottlePolicy

/// The Prometheus text exposition format (version 0.0.4) of throttlectl's metrics, for node_exporter's
/// textfile collector: `# HELP` and `# TYPE` once per metric family, then one sample per line.
enum PrometheusText {
    /// The whole file for `interfaces`, written at `now`.
    static func render(_ interfaces: [InterfaceMetrics], now: Date) -> String {
        var families: [Family] = [
            Family("throttlectl_configured_rate_bytes_per_second", "gauge",
                   "Rate the window in force allows, per direction, in bytes/s (bits/s / 8; +Inf: not limited)."),
            Family("throttlectl_window", "gauge", "1 for the kind of window in force, 0 for the others."),
            Family("throttlectl_next_transition_seconds", "gauge",
                   "Seconds from the time of writing to the next schedule transition."),
            Family("throttlectl_next_transition_timestamp_seconds", "gauge",
                   "Unix time of the next schedule transition."),
            Family("throttlectl_interface_present", "gauge", "1 when the interface exists, 0 while it is awaited."),
            Family("throttlectl_qdisc_bytes_total", "counter", "Bytes sent through throttlectl's TBF qdisc."),
            Family("throttlectl_qdisc_packets_total", "counter", "Packets sent through throttlectl's TBF qdisc."),
            Family("throttlectl_qdisc_drops_total", "counter", "Packets throttlectl's TBF qdisc dropped."),
            Family("throttlectl_qdisc_overlimits_total", "counter",
                   "Times throttlectl's TBF qdisc had to delay a packet (over its rate)."),
            Family("throttlectl_applies_total", "counter", "Kernel changes carried out (a transition, a repair)."),
            Family("throttlectl_errors_total", "counter", "Failed attempts to shape the interface."),
        ]
        func add(_ name: String, _ labels: [(String, String)], _ value: String) {
            let index = families.firstIndex { $0.name == name }!
            families[index].samples.append(sample(name, labels, value))
        }
        for metrics in interfaces {
            let interface = ("interface", metrics.interface)
            for direction in InterfaceMetrics.Direction.allCases {
                let labels = [interface, ("direction", direction.rawValue)]
                if metrics.window != nil {
                    // Prometheus's base unit is the byte (promtool insists); a rate in bits/s may have a fraction.
                    add("throttlectl_configured_rate_bytes_per_second", labels,
                        metrics.rate(direction).map { number(Double($0) / 8) } ?? "+Inf")
                }
                if let statistics = metrics.statistics[direction] {
                    add("throttlectl_qdisc_bytes_total", labels, String(statistics.bytes))
                    add("throttlectl_qdisc_packets_total", labels, String(statistics.packets))
                    add("throttlectl_qdisc_drops_total", labels, String(statistics.drops))
                    add("throttlectl_qdisc_overlimits_total", labels, String(statistics.overlimits))
                }
            }
            if let window = metrics.window {
                for kind in WindowKind.allCases {
                    add("throttlectl_window", [interface, ("kind", kind.rawValue)], window.kind == kind ? "1" : "0")
                }
                if let end = window.end {
                    add("throttlectl_next_transition_seconds", [interface],
                        number(max(end.timeIntervalSince(now), 0)))
                    add("throttlectl_next_transition_timestamp_seconds", [interface], number(end.timeIntervalSince1970))
                }
            }
            add("throttlectl_interface_present", [interface], metrics.present ? "1" : "0")
            add("throttlectl_applies_total", [interface], String(metrics.applies))
            add("throttlectl_errors_total", [interface], String(metrics.errors))
        }
        var lines: [String] = []
        for family in families where !family.samples.isEmpty {
            lines.append("# HELP \(family.name) \(family.help)")
            lines.append("# TYPE \(family.name) \(family.type)")
            lines += family.samples
        }
        lines.append("# HELP throttlectl_metrics_timestamp_seconds Unix time this file was written.")
        lines.append("# TYPE throttlectl_metrics_timestamp_seconds gauge")
        lines.append("throttlectl_metrics_timestamp_seconds \(number(now.timeIntervalSince1970))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The applies and errors counters per interface in an earlier file, so that `apply` (a new process each
    /// run) keeps counting instead of starting from zero every time.
    static func counters(in text: String) -> [String: (applies: UInt64, errors: UInt64)] {
        var result: [String: (applies: UInt64, errors: UInt64)] = [:]
        for line in text.split(separator: "\n") {
            for (name, isApplies) in [("throttlectl_applies_total{", true), ("throttlectl_errors_total{", false)]
            where line.hasPrefix(name) {
                guard let close = line.lastIndex(of: "}"),
                    let value = UInt64(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces))
                else { continue }
                let labels = line[line.index(line.startIndex, offsetBy: name.count)..<close]
                guard labels.hasPrefix("interface=\""), labels.hasSuffix("\"") else { continue }
                let interface = unescape(String(labels.dropFirst("interface=\"".count).dropLast()))
                var entry = result[interface] ?? (0, 0)
                if isApplies { entry.applies = value } else { entry.errors = value }
                result[interface] = entry
            }
        }
        return result
    }

    private struct Family {
        let name: String
        let type: String
        let help: String
        var samples: [String] = []
        init(_ name: String, _ type: String, _ help: String) {
            self.name = name
            self.type = type
            self.help = help
        }
    }

    private static func sample(_ name: String, _ labels: [(String, String)], _ value: String) -> String {
        let rendered = labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
        return "\(name){\(rendered)} \(value)"
    }

    /// A label value with `\`, `"` and newlines escaped, as the format requires.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func unescape(_ value: String) -> String {
        var out = ""
        var escaped = false
        for character in value {
            if escaped {
                out.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// Whole seconds without a fraction, others with millisecond precision.
    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(format: "%.3f", value)
    }
}
