@testable import TrafficControl
import TrafficSelection

/// An in-memory kernel for the pure tests: carries out operations the way the kernel would (u32 nodes of a
/// priority's root table get a kernel-chosen table id, deleting a table takes its nodes) and reports an
/// ``ObservedState``. Only what the reconciler reads is modelled.
final class FakeKernel: TrafficControlWriter {
    var state: ObservedState
    private var nextRoot: UInt32 = 0x800
    private var roots: [String: UInt32] = [:]
    private(set) var writes = 0
    private var nextIndex: Int32 = 10

    init(interface: NetworkInterface = NetworkInterface(index: 2, name: "v0", mtu: 1500, isUp: true)) {
        state = ObservedState(interface: interface, ifbName: Ownership.ifbName(forIndex: interface.index), ifb: nil,
                              qdiscs: [], ifbQdiscs: [], ingressFilters: [])
        state.uploadIFBName = Ownership.uploadIFBName(forIndex: interface.index)
    }

    private func key(_ hook: ClsactHook, _ priority: UInt16) -> String { "\(hook):\(priority)" }

    func perform(_ operation: TrafficControlOperation) throws {
        writes += 1
        switch operation {
        case .createIFB(let name):
            let ifb = NetworkInterface(index: nextIndex, name: name, mtu: 1500, isUp: false, kind: "ifb")
            nextIndex += 1
            if name == state.ifbName { state.ifb = ifb } else { state.uploadIFB = ifb }
        case .markIFB(let name, let alias):
            if name == state.ifbName { state.ifb?.alias = alias } else { state.uploadIFB?.alias = alias }
        case .bringUp(let name):
            if name == state.ifbName { state.ifb?.isUp = true } else { state.uploadIFB?.isUp = true }
        case .deleteLink(let name):
            if name == state.ifbName { state.ifb = nil; state.ifbQdiscs = [] } else { state.uploadIFB = nil; state.uploadIFBQdiscs = [] }
        case .addQdisc(let spec), .replaceQdisc(let spec), .changeQdisc(let spec):
            let qdisc = KernelQdisc(interfaceIndex: 0, handle: spec.handle, parent: spec.parent, kind: spec.configuration.kind,
                                    options: Self.options(spec.configuration), rawOptions: [], statistics: TrafficStatistics())
            update(spec.device) { list in
                list.removeAll { $0.parent == spec.parent }
                list.append(qdisc)
            }
        case .deleteQdisc(let spec):
            update(spec.device) { $0.removeAll { $0.parent == spec.parent } }
            if spec.parent == .ingressParent {
                state.ingressFilters = []
                state.egressFilters = []
                roots = [:]
            }
        case .addFilter(let spec):
            state.ingressFilters.append(KernelFilter(interfaceIndex: 0, parent: spec.parent, handle: 0x8000_0800,
                                                     priority: spec.priority, ethertype: spec.ethertype, kind: "u32",
                                                     redirectIndex: index(spec.target), hasSelector: true,
                                                     statistics: TrafficStatistics()))
        case .deleteFilter(let spec):
            state.ingressFilters.removeAll { $0.priority == spec.priority }
        case .addU32(let spec):
            var handle = spec.handle
            if spec.handle.table == 0 {
                let root = roots[key(spec.hook, spec.priority)] ?? { nextRoot += 1; return nextRoot - 1 }()
                roots[key(spec.hook, spec.priority)] = root
                handle = U32Handle(table: root, node: spec.handle.node)
            }
            var filter = KernelFilter(interfaceIndex: 0, parent: spec.hook.parent, handle: handle.rawValue,
                                      priority: spec.priority, ethertype: spec.ethertype, kind: "u32", redirectIndex: nil,
                                      hasSelector: false, statistics: TrafficStatistics())
            switch spec.object {
            case .table(let divisor): filter.u32 = KernelU32(divisor: divisor, selector: nil, link: nil)
            case .node(let selector, let link, let redirect):
                filter.hasSelector = true
                filter.u32 = KernelU32(divisor: nil, selector: selector, link: link)
                filter.redirectIndex = redirect.flatMap(index)
            }
            edit(spec.hook) { $0.append(filter) }
        case .deleteU32(let spec):
            let handle = spec.kernelHandle ?? spec.handle
            edit(spec.hook) { filters in
                if case .table = spec.object {
                    filters.removeAll { U32Handle(rawValue: $0.handle).table == handle.table && $0.priority == spec.priority }
                } else {
                    filters.removeAll { $0.handle == handle.rawValue && $0.priority == spec.priority }
                }
            }
        case .deleteFilterPriority(let spec):
            edit(spec.hook) { $0.removeAll { $0.priority == spec.priority } }
            roots[key(spec.hook, spec.priority)] = nil
        }
    }

    private func index(_ name: String) -> Int32? {
        [state.ifb, state.uploadIFB].compactMap { $0 }.first { $0.name == name }?.index
    }

    private func edit(_ hook: ClsactHook, _ body: (inout [KernelFilter]) -> Void) {
        if hook == .egress { body(&state.egressFilters) } else { body(&state.ingressFilters) }
    }

    private func update(_ device: String, _ body: (inout [KernelQdisc]) -> Void) {
        if device == state.ifbName { body(&state.ifbQdiscs) } else if device == state.uploadIFBName {
            body(&state.uploadIFBQdiscs)
        } else { body(&state.qdiscs) }
    }

    static func options(_ configuration: QdiscConfiguration) -> QdiscOptions {
        if case .tbf(let setting) = configuration {
            return .tbf(TBFKernelOptions(rate: setting.rate, peakRate: 0, limit: setting.limit,
                                         bufferTicks: setting.bufferTicks, mtuTicks: 0, hasRate64: false))
        }
        return .other
    }
}
