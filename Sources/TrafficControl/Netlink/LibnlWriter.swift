internal import CNetlink

#if canImport(Glibc)
    import Glibc
#endif

/// Writes operations to the kernel through libnl: links with the rtnl_link object API, qdiscs and filters as
/// messages built with libnl's message API (so that every attribute, 64-bit rates and explicit
/// ticks included, is exactly as planned).
public final class LibnlWriter: BatchingWriter {
    let kernel: KernelConnection

    public init(kernel: KernelConnection) { self.kernel = kernel }

    public func perform(_ operation: TrafficControlOperation) throws {
        switch operation {
        case .createIFB(let name): try createIFB(name)
        case .markIFB(let name, let alias): try setAlias(name, alias)
        case .bringUp(let name): try bringUp(name)
        case .deleteLink(let name): try deleteLink(name)
        default:
            for attempt in 0... {
                guard let request = try request(for: operation) else { return }
                do {
                    try kernel.socket.send(request, operation: operation.description)
                    return
                } catch let error as NetlinkError where Self.alreadyDone(operation, error) {
                    return
                } catch let error as NetlinkError where Self.mayRetry(operation, error, attempt: attempt) {
                    Self.pause()
                }
            }
        }
    }

    /// The kernel releases a u32 table's reference from a deleted link node only after an RCU grace period
    /// (the node is freed from a work queue), so a table deleted right after its link is briefly busy: such a
    /// delete is retried every 5 ms for up to 2 s.
    static func mayRetry(_ operation: TrafficControlOperation, _ error: NetlinkError, attempt: Int) -> Bool {
        guard error.code == NLE_BUSY, attempt < 400 else { return false }
        switch operation {
        case .deleteU32(let spec): if case .table = spec.object { return true } else { return false }
        case .deleteFilterPriority: return true
        default: return false
        }
    }

    static func pause() {
        var delay = timespec(tv_sec: 0, tv_nsec: 5_000_000)
        _ = nanosleep(&delay, nil)
    }

    public func canBatch(_ operation: TrafficControlOperation) -> Bool {
        switch operation {
        case .createIFB, .markIFB, .bringUp, .deleteLink: return false
        // A table (or priority) can be busy until the kernel has released its deleted links (see
        // ``mayRetry(_:_:attempt:)``): deleted one by one, so that nothing after it runs before it.
        case .deleteFilterPriority: return false
        case .deleteU32(let spec):
            if case .table = spec.object { return false }
            return spec.handle.table != 0 || spec.kernelHandle != nil
        default: return true
        }
    }

    /// Sends the operations' messages many to a `sendmsg` and collects the kernel's acknowledgements after,
    /// by sequence number (``NetlinkSocket/sendBatch(_:)``).
    public func perform(batch: [TrafficControlOperation]) -> [Error?] {
        indexCache = [:]
        defer { indexCache = nil }
        var results = [Error?](repeating: nil, count: batch.count)
        var requests: [NetlinkRequest] = []
        var positions: [Int] = []
        for (position, operation) in batch.enumerated() {
            do {
                guard let request = try request(for: operation) else { continue }
                requests.append(request)
                positions.append(position)
            } catch {
                results[position] = error
            }
        }
        let codes = kernel.socket.sendBatch(requests)
        for (code, position) in zip(codes, positions) where code < 0 {
            let error = NetlinkError(operation: batch[position].description, result: code)
            if Self.alreadyDone(batch[position], error) { continue }
            if Self.mayRetry(batch[position], error, attempt: 0) {
                // Busy until the kernel's grace period has passed: retried on its own, in order.
                do { try perform(batch[position]) } catch { results[position] = error }
                continue
            }
            results[position] = error
        }
        return results
    }

    /// A filter priority that is already gone (the kernel removes an emptied u32 priority itself) is deleted.
    static func alreadyDone(_ operation: TrafficControlOperation, _ error: NetlinkError) -> Bool {
        if case .deleteFilterPriority = operation { return error.isNotFound || error.code == NLE_INVAL }
        return false
    }

    /// Interface indexes looked up during one batch (no link changes happen inside a batch).
    private var indexCache: [String: Int32]?

    private func index(of device: String, for operation: TrafficControlOperation) throws -> Int32 {
        if let cached = indexCache?[device] { return cached }
        do {
            let index = try kernel.interface(named: device).index
            indexCache?[device] = index
            return index
        } catch let error as NetlinkError {
            throw NetlinkError(operation: "\(operation): look up \(device)", code: error.code, libnlMessage: error.libnlMessage)
        }
    }

    private func header(device: String, handle: UInt32, parent: UInt32, info: UInt32 = 0,
                        for operation: TrafficControlOperation) throws -> tcmsg {
        var message = tcmsg()
        message.tcm_family = UInt8(AF_UNSPEC)
        message.tcm_ifindex = try index(of: device, for: operation)
        message.tcm_handle = handle
        message.tcm_parent = parent
        message.tcm_info = info
        return message
    }

    /// The netlink message for a qdisc or filter operation (`nil` for link operations, which go through the
    /// rtnl_link object API).
    func request(for operation: TrafficControlOperation) throws -> NetlinkRequest? {
        let create = cnl_flag_create() | cnl_flag_excl()
        switch operation {
        case .createIFB, .markIFB, .bringUp, .deleteLink: return nil
        case .addQdisc(let spec): return try qdisc(spec, type: RTM_NEWQDISC, flags: create, operation)
        case .replaceQdisc(let spec):
            return try qdisc(spec, type: RTM_NEWQDISC, flags: cnl_flag_create() | cnl_flag_replace(), operation)
        case .changeQdisc(let spec): return try qdisc(spec, type: RTM_NEWQDISC, flags: 0, operation)
        case .deleteQdisc(let spec): return try qdisc(spec, type: RTM_DELQDISC, flags: 0, operation)
        case .addFilter(let spec): return try filter(spec, type: RTM_NEWTFILTER, flags: create, operation)
        case .deleteFilter(let spec): return try filter(spec, type: RTM_DELTFILTER, flags: 0, operation)
        case .addU32(let spec): return try u32(spec, type: RTM_NEWTFILTER, flags: create, operation)
        case .deleteU32(let spec): return try u32(spec, type: RTM_DELTFILTER, flags: 0, operation)
        case .deleteFilterPriority(let spec):
            let request = try NetlinkRequest(type: Int32(RTM_DELTFILTER), flags: 0,
                                             capacity: NetlinkRequest.filterCapacity)
            try request.append(header: header(device: spec.device, handle: 0, parent: spec.hook.parent.rawValue,
                                              info: Self.info(spec.priority, spec.ethertype), for: operation))
            try request.put(UInt16(TCA_KIND), string: "u32")
            return request
        }
    }

    static func info(_ priority: UInt16, _ ethertype: UInt16) -> UInt32 {
        UInt32(priority) << 16 | UInt32(ethertype.bigEndian)
    }

    private func qdisc(_ spec: QdiscSpec, type: Int, flags: Int32, _ operation: TrafficControlOperation) throws
        -> NetlinkRequest
    {
        let request = try NetlinkRequest(type: Int32(type), flags: flags)
        try request.append(header: header(device: spec.device, handle: spec.handle.rawValue, parent: spec.parent.rawValue,
                                          for: operation))
        try request.put(UInt16(TCA_KIND), string: spec.configuration.kind)
        if type != RTM_DELQDISC { try QdiscOptionsEncoder.put(spec.configuration, into: request) }
        return request
    }

    private func filter(_ spec: RedirectFilterSpec, type: Int, flags: Int32, _ operation: TrafficControlOperation)
        throws -> NetlinkRequest
    {
        let request = try NetlinkRequest(type: Int32(type), flags: flags, capacity: NetlinkRequest.filterCapacity)
        try request.append(header: header(device: spec.device, handle: 0, parent: spec.parent.rawValue,
                                          info: Self.info(spec.priority, spec.ethertype), for: operation))
        try request.put(UInt16(TCA_KIND), string: "u32")
        if type != RTM_DELTFILTER {
            let target = try index(of: spec.target, for: operation)
            try QdiscOptionsEncoder.putRedirect(to: target, into: request)
        }
        return request
    }

    private func u32(_ spec: U32Spec, type: Int, flags: Int32, _ operation: TrafficControlOperation) throws
        -> NetlinkRequest
    {
        var handle = spec.handle
        if type == RTM_DELTFILTER, spec.handle.table == 0 {
            // A node of the priority's root table: the kernel chose the table id, so look it up.
            handle = try spec.kernelHandle ?? rootHandle(spec, operation)
        }
        let request = try NetlinkRequest(type: Int32(type), flags: flags, capacity: NetlinkRequest.filterCapacity)
        try request.append(header: header(device: spec.device, handle: handle.rawValue, parent: spec.hook.parent.rawValue,
                                          info: Self.info(spec.priority, spec.ethertype), for: operation))
        try request.put(UInt16(TCA_KIND), string: "u32")
        if type != RTM_DELTFILTER {
            var target: Int32?
            if case .node(_, _, let redirect?) = spec.object { target = try index(of: redirect, for: operation) }
            try U32Encoding.putOptions(spec, redirectIndex: target, into: request)
        }
        return request
    }

    private func rootHandle(_ spec: U32Spec, _ operation: TrafficControlOperation) throws -> U32Handle {
        let index = try index(of: spec.device, for: operation)
        let filters = try kernel.filters(interfaceIndex: index, parent: spec.hook.parent)
        guard let root = filters.first(where: {
            $0.priority == spec.priority && $0.u32?.divisor != nil && !Ownership.ownsTable(U32Handle(rawValue: $0.handle).table)
        }) else {
            throw NetlinkError(operation: "\(operation): find the root table of prio \(spec.priority)", code: NLE_OBJ_NOTFOUND,
                               libnlMessage: "no root table")
        }
        return U32Handle(table: U32Handle(rawValue: root.handle).table, node: spec.handle.node)
    }

    // MARK: - Links (rtnl_link object API)

    private func createIFB(_ name: String) throws {
        guard let link = rtnl_link_alloc() else { throw NetlinkError(operation: "create \(name)", result: -NLE_NOMEM) }
        defer { rtnl_link_put(link) }
        rtnl_link_set_name(link, name)
        let typed = rtnl_link_set_type(link, "ifb")
        guard typed >= 0 else { throw NetlinkError(operation: "create IFB device \(name)", result: typed) }
        let result = rtnl_link_add(kernel.socket.handle, link, cnl_flag_create() | cnl_flag_excl())
        guard result >= 0 else { throw NetlinkError(operation: "create IFB device \(name) (is the ifb module there?)", result: result) }
    }

    private func bringUp(_ name: String) throws {
        try changeLink(name, operation: "bring \(name) up") { rtnl_link_set_flags($0, UInt32(IFF_UP)) }
    }

    private func setAlias(_ name: String, _ alias: String) throws {
        try changeLink(name, operation: "set the alias of \(name)") { rtnl_link_set_ifalias($0, alias) }
    }

    /// `rtnl_link_change` from the link as the kernel has it to one with `edit` applied.
    private func changeLink(_ name: String, operation: String, _ edit: (OpaquePointer) -> Void) throws {
        var current: OpaquePointer?
        let found = rtnl_link_get_kernel(kernel.socket.handle, 0, name, &current)
        guard found >= 0, let current else { throw NetlinkError(operation: operation, result: found) }
        defer { rtnl_link_put(current) }
        guard let change = rtnl_link_alloc() else { throw NetlinkError(operation: operation, result: -NLE_NOMEM) }
        defer { rtnl_link_put(change) }
        edit(change)
        let result = rtnl_link_change(kernel.socket.handle, current, change, 0)
        guard result >= 0 else { throw NetlinkError(operation: operation, result: result) }
    }

    private func deleteLink(_ name: String) throws {
        guard let link = rtnl_link_alloc() else { throw NetlinkError(operation: "delete \(name)", result: -NLE_NOMEM) }
        defer { rtnl_link_put(link) }
        rtnl_link_set_name(link, name)
        let result = rtnl_link_delete(kernel.socket.handle, link)
        guard result >= 0 else { throw NetlinkError(operation: "delete device \(name)", result: result) }
    }
}
