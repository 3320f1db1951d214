import Foundation
import Testing
import TestSupport
import ThrottlePolicy
import TrafficControl
import TrafficSelection

/// A scratch namespace pair with a second, unselected address on the peer (198.19.0.2, 2001:db8:ffff::2,
/// routed over the same veth), and helpers to plan, reconcile and apply a selection through the library.
struct SelectionRig {
    let namespace: ScratchNamespace
    let kernel: KernelConnection

    static let selected = (ipv4: "198.18.0.2", ipv6: "2001:db8::2")
    static let unselected = (ipv4: "198.19.0.2", ipv6: "2001:db8:ffff::2")

    init() throws {
        namespace = try ScratchNamespace()
        kernel = try KernelConnection(namespace: namespace.name)
        try namespace.execPeer(["ip", "addr", "add", "198.19.0.2/24", "dev", "v1"])
        try namespace.execPeer(["ip", "addr", "add", "2001:db8:ffff::2/64", "dev", "v1", "nodad"])
        try namespace.exec(["ip", "route", "add", "198.19.0.0/24", "dev", "v0"])
        try namespace.exec(["ip", "route", "add", "2001:db8:ffff::/64", "dev", "v0"])
        try namespace.execPeer(["ip", "route", "add", "198.18.0.0/24", "dev", "v1"], allowFailure: true)
    }

    /// A selection of `prefixes` (and `ports`), as an operator would write it.
    static func selection(_ prefixes: [String], ports: [Int] = []) throws -> TrafficSelection {
        try TrafficSelection.resolve(SelectionRequest(prefixes: prefixes.map { Placed($0, at: "test") },
                                                      ports: ports.map { Placed($0, at: "test") }), file: nil)
    }

    static let smallSelection = ["198.18.0.0/24", "2001:db8::/48"]

    /// 40 IPv4 and 40 IPv6 prefixes that are neither adjacent nor the unselected addresses: enough for the
    /// layout to hash (more than 16 leaves in a bucket).
    static let hashedSelection = smallSelection
        + (0..<40).map { "198.19.\(2 * $0 + 2).0/24" } + (0..<40).map { "2001:db8:\(String(2 * $0 + 16, radix: 16))::/48" }

    static func window(upload: UInt64?, download: UInt64?) -> Window {
        Window(allowance: Allowance(kind: .workHours, bandwidth: upload.map { .bitsPerSecond($0) } ?? .unlimited,
                                    download: download.map { .bitsPerSecond($0) } ?? .unlimited),
               start: nil, end: nil)
    }

    func observe() throws -> ObservedState { try ObservedState.read(interfaceName: "v0", from: kernel) }

    /// The operations that would take the kernel to the plan (nothing written).
    func reconcile(_ window: Window, selection: TrafficSelection?) throws -> [PlannedOperation] {
        let observed = try observe()
        let plan = try ShapingPlanner().plan(window: window, interface: observed.interface, selection: selection)
        return try Reconciler().reconcile(plan: plan, observed: observed, recordedRoot: nil, force: false).operations
    }

    @discardableResult
    func apply(_ window: Window, selection: TrafficSelection?) throws -> ApplyOutcome {
        let outcome = Applier().apply(try reconcile(window, selection: selection), with: LibnlWriter(kernel: kernel))
        #expect(outcome.succeeded, "\(String(describing: outcome.failure))")
        return outcome
    }

    @discardableResult
    func clear() throws -> ApplyOutcome {
        let observed = try observe()
        let operations = try Reconciler().reconcile(plan: nil, observed: observed, recordedRoot: nil, force: false)
        let outcome = Applier().apply(operations.operations, with: LibnlWriter(kernel: kernel))
        #expect(outcome.succeeded, "\(String(describing: outcome.failure))")
        return outcome
    }

    /// Bytes our root TBF on `device` has sent.
    func tbfBytes(_ device: String) throws -> UInt64 {
        let index = try kernel.interface(named: device).index
        return try kernel.qdiscs(interfaceIndex: index).first { $0.parent == .root && Ownership.owns($0.handle) }?
            .statistics.bytes ?? 0
    }

    var uploadIFB: String { get throws { Ownership.uploadIFBName(forIndex: try kernel.interface(named: "v0").index) } }
    var downloadIFB: String { get throws { Ownership.ifbName(forIndex: try kernel.interface(named: "v0").index) } }

    func ping(_ address: String, count: Int = 5) throws {
        try namespace.exec(["ping", "-c", "\(count)", "-i", "0.01", "-W", "1", "-s", "1000", address])
    }
}
