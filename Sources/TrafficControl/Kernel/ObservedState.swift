/// Everything on an interface and its IFB that throttlectl looks at, read before anything is written.
public struct ObservedState: Hashable, Sendable {
    public var interface: NetworkInterface
    public var ifbName: String
    public var ifb: NetworkInterface?
    public var qdiscs: [KernelQdisc]
    public var ifbQdiscs: [KernelQdisc]
    /// Filters under the interface's ingress qdisc (empty when there is none).
    public var ingressFilters: [KernelFilter]
    /// Filters on the egress hook when the interface has a clsact qdisc.
    public var egressFilters: [KernelFilter] = []
    /// The upload IFB of a traffic selection (``Ownership/uploadIFBName(forIndex:)``), and its qdiscs.
    public var uploadIFBName: String = ""
    public var uploadIFB: NetworkInterface? = nil
    public var uploadIFBQdiscs: [KernelQdisc] = []

    /// Reads the state of `interfaceName` and its IFB.
    /// - Throws: ``NetlinkError`` (``NetlinkError/isNotFound`` when the interface does not exist).
    public static func read(interfaceName: String, from kernel: KernelConnection) throws -> ObservedState {
        let interface = try kernel.interface(named: interfaceName)
        let ifbName = Ownership.ifbName(forIndex: interface.index)
        let ifb = try kernel.interfaceIfPresent(named: ifbName)
        let qdiscs = try kernel.qdiscs(interfaceIndex: interface.index)
        var filters: [KernelFilter] = []
        var egress: [KernelFilter] = []
        if let ingress = qdiscs.first(where: { $0.parent == .ingressParent }) {
            filters = try kernel.filters(interfaceIndex: interface.index, parent: ObservedState.filterParent(for: ingress))
            if ingress.kind == "clsact" {
                egress = try kernel.filters(interfaceIndex: interface.index, parent: ClsactHook.egress.parent)
            }
        }
        let uploadName = Ownership.uploadIFBName(forIndex: interface.index)
        let upload = try kernel.interfaceIfPresent(named: uploadName)
        return ObservedState(
            interface: interface, ifbName: ifbName, ifb: ifb, qdiscs: qdiscs,
            ifbQdiscs: try ifb.map { try kernel.qdiscs(interfaceIndex: $0.index) } ?? [],
            ingressFilters: filters, egressFilters: egress, uploadIFBName: uploadName, uploadIFB: upload,
            uploadIFBQdiscs: try upload.map { try kernel.qdiscs(interfaceIndex: $0.index) } ?? [])
    }

    /// The filters on a clsact hook (ingress filters only when the qdisc is clsact).
    public func filters(on hook: ClsactHook) -> [KernelFilter] {
        switch hook {
        case .egress: return egressFilters
        case .ingress: return ingress?.kind == "clsact" ? ingressFilters : []
        }
    }

    /// Our selection filters (tables and nodes) on a hook.
    public func selectionFilters(on hook: ClsactHook) -> [KernelFilter] {
        filters(on: hook).filter { Ownership.isSelectionPriority($0.priority) }
    }

    /// Where ingress filters hang: `ffff:` under an ingress qdisc, `ffff:fff2` under clsact.
    public static func filterParent(for ingress: KernelQdisc) -> TrafficControlHandle {
        ingress.kind == "clsact" ? TrafficControlHandle(rawValue: 0xFFFF_FFF2) : .ingress
    }

    /// The root qdisc of the interface.
    public var root: KernelQdisc? { qdiscs.first { $0.parent == .root } }
    /// The ingress (or clsact) qdisc of the interface.
    public var ingress: KernelQdisc? { qdiscs.first { $0.parent == .ingressParent } }

    /// Our u32 redirect filters on the interface's ingress.
    public var ownFilters: [KernelFilter] {
        ingressFilters.filter {
            ($0.priority == Ownership.ipv4FilterPriority || $0.priority == Ownership.ipv6FilterPriority) && $0.hasSelector
        }
    }

    /// True when the root qdisc is the kernel's own default (handle `0:`, or `noqueue`), not an operator's.
    public static func isDefaultRoot(_ qdisc: KernelQdisc) -> Bool {
        qdisc.handle.major == 0 || qdisc.kind == "noqueue"
    }
}
