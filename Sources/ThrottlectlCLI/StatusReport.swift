import Foundation
import ThrottlePolicy
import TokenBucket
import TrafficControl

/// What `status` prints.
struct StatusReport {
    let observed: ObservedState
    let expectation: (window: Window, matches: Bool)?
    let timeZone: TimeZoneRules

    struct Direction {
        let name: String
        let device: String
        let rate: UInt64?
        let statistics: TrafficStatistics?
    }

    var directions: [Direction] {
        func direction(_ name: String, _ device: String, _ qdiscs: [KernelQdisc]) -> Direction {
            let root = qdiscs.first { $0.parent == .root && Ownership.owns($0.handle) }
            var rate: UInt64?
            if case .tbf(let options)? = root?.options { rate = options.rate * 8 }
            return Direction(name: name, device: device, rate: rate, statistics: root?.statistics)
        }
        return [
            direction("upload", observed.interface.name, observed.qdiscs),
            direction("download", observed.ifbName, observed.ifbQdiscs),
        ]
    }

    private func statistics(_ value: TrafficStatistics?) -> JSONValue {
        guard let value else { return .null }
        return .object([
            ("bytes", .integer(value.bytes)), ("packets", .integer(value.packets)),
            ("drops", .integer(UInt64(value.drops))), ("overlimits", .integer(UInt64(value.overlimits))),
            ("backlogBytes", .integer(UInt64(value.backlogBytes))),
        ])
    }

    var json: String {
        var members: [(String, JSONValue)] = [
            ("interface", .string(observed.interface.name)),
            ("ifb", observed.ifb.map { .string($0.name) } ?? .null),
            ("shaped", .bool(directions.contains { $0.rate != nil })),
            ("directions", .array(directions.map { direction in
                .object([
                    ("direction", .string(direction.name)), ("device", .string(direction.device)),
                    ("bitsPerSecond", direction.rate.map(JSONValue.integer) ?? .null),
                    ("counters", statistics(direction.statistics)),
                ])
            })),
            ("redirectFilters", .integer(UInt64(observed.ownFilters.count))),
        ]
        if let expectation {
            members.append(("expected", WindowReport(window: expectation.window, timeZone: timeZone).jsonValue))
            members.append(("matches", .bool(expectation.matches)))
        }
        return JSONValue.object(members).rendered()
    }

    var text: String {
        var lines: [String] = []
        for direction in directions {
            guard let rate = direction.rate, let stats = direction.statistics else {
                lines.append("\(direction.name) (\(direction.device)): not shaped by throttlectl")
                continue
            }
            let drops = stats.drops
            lines.append(
                "\(direction.name) (\(direction.device)): \(BitRate(bitsPerSecond: rate)); sent \(stats.bytes) bytes, "
                    + "\(stats.packets) packets; \(drops) dropped; \(stats.overlimits) overlimits")
        }
        lines.append("ingress redirect filters: \(observed.ownFilters.count)")
        if let expectation {
            let window = WindowReport(window: expectation.window, timeZone: timeZone).text
                .replacingOccurrences(of: "\n", with: "; ")
            lines.append("policy expects: \(window)")
            lines.append(expectation.matches ? "kernel matches the policy" : "kernel does NOT match the policy: run apply")
        }
        return lines.joined(separator: "\n")
    }
}
