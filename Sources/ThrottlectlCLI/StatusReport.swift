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
        /// The queue limit in bytes, as the kernel reports it.
        let limit: UInt32?
        let statistics: TrafficStatistics?

        /// The longest a packet can wait in a full queue: limit ÷ rate, in µs.
        var worstCaseQueueMicroseconds: Double? {
            guard let rate, rate > 0, let limit else { return nil }
            return 1_000_000 * Double(limit) * 8 / Double(rate)
        }
    }

    var directions: [Direction] {
        func direction(_ name: String, _ device: String, _ qdiscs: [KernelQdisc]) -> Direction {
            let root = qdiscs.first { $0.parent == .root && Ownership.owns($0.handle) }
            var rate: UInt64?
            var limit: UInt32?
            if case .tbf(let options)? = root?.options {
                rate = options.rate * 8
                limit = options.limit
            }
            return Direction(name: name, device: device, rate: rate, limit: limit, statistics: root?.statistics)
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
                    ("limitBytes", direction.limit.map { .integer(UInt64($0)) } ?? .null),
                    ("worstCaseQueueMicroseconds", direction.worstCaseQueueMicroseconds.map(JSONValue.number) ?? .null),
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
            let queue = direction.limit.map { limit in
                "queue \(limit) B (at most \(ParamsReport.formatMicroseconds(direction.worstCaseQueueMicroseconds ?? 0)))"
            } ?? "queue ?"
            lines.append(
                "\(direction.name) (\(direction.device)): \(BitRate(bitsPerSecond: rate)), \(queue); sent \(stats.bytes) bytes, "
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
