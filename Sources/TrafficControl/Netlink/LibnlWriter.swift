internal import CNetlink

#if canImport(Glibc)
    import Glibc
#endif

/// Writes operations to the kernel through libnl: links with the rtnl_link object API, qdiscs and filters as
/// messages built with libnl's message API (so that every attribute, 64-bit rates and explicit
/// ticks included, is exactly as planned).
public final class LibnlWriter: TrafficControlWriter {
    let kernel: KernelConnection

    public init(kernel: KernelConnection) { self.kernel = kernel }

    public func perform(_ operation: TrafficControlOperation) throws {
        switch operation {
        case .createIFB(let name): try createIFB(name)
        case .markIFB(let name, let alias): try setAlias(name, alias)
        case .bringUp(let name): try bringUp(name)
        case .deleteLink(let name): try deleteLink(name)
        case .addQdisc(let spec):
            try send(qdisc: spec, type: RTM_NEWQDISC, flags: cnl_flag_create() | cnl_flag_excl(), operation)
        case .replaceQdisc(let spec):
            try send(qdisc: spec, type: RTM_NEWQDISC, flags: cnl_flag_create() | cnl_flag_replace(), operation)
        case .changeQdisc(let spec): try send(qdisc: spec, type: RTM_NEWQDISC, flags: 0, operation)
        case .deleteQdisc(let spec): try send(qdisc: spec, type: RTM_DELQDISC, flags: 0, operation)
        case .addFilter(let spec):
            try send(filter: spec, type: RTM_NEWTFILTER, flags: cnl_flag_create() | cnl_flag_excl(), operation)
        case .deleteFilter(let spec): try send(filter: spec, type: RTM_DELTFILTER, flags: 0, operation)
        }
    }

    private func index(of device: String, for operation: TrafficControlOperation) throws -> Int32 {
        do {
            return try kernel.interface(named: device).index
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

    private func send(qdisc spec: QdiscSpec, type: Int, flags: Int32, _ operation: TrafficControlOperation) throws {
        let request = try NetlinkRequest(type: Int32(type), flags: flags)
        try request.append(header: header(device: spec.device, handle: spec.handle.rawValue, parent: spec.parent.rawValue,
                                          for: operation))
        try request.put(UInt16(TCA_KIND), string: spec.configuration.kind)
        if type != RTM_DELQDISC { try QdiscOptionsEncoder.put(spec.configuration, into: request) }
        try kernel.socket.send(request, operation: operation.description)
    }

    private func send(filter spec: RedirectFilterSpec, type: Int, flags: Int32, _ operation: TrafficControlOperation)
        throws
    {
        let info = UInt32(spec.priority) << 16 | UInt32(spec.ethertype.bigEndian)
        let request = try NetlinkRequest(type: Int32(type), flags: flags)
        try request.append(header: header(device: spec.device, handle: 0, parent: spec.parent.rawValue, info: info,
                                          for: operation))
        try request.put(UInt16(TCA_KIND), string: "u32")
        if type != RTM_DELTFILTER {
            let target = try index(of: spec.target, for: operation)
            try QdiscOptionsEncoder.putRedirect(to: target, into: request)
        }
        try kernel.socket.send(request, operation: operation.description)
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
