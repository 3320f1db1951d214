import Foundation
internal import CNetlink

/// A connection to the kernel's traffic control, in this or a named network namespace.
///
/// Reading is done with libnl dumps; every method maps to the libnl calls it names.
public final class KernelConnection {
    let socket: NetlinkSocket
    /// The namespace the connection lives in (`nil`: the caller's).
    public let namespace: String?

    public init(namespace: String? = nil) throws {
        socket = try NetlinkSocket(namespace: namespace)
        self.namespace = namespace
    }

    /// The interface called `name` (`rtnl_link_get_kernel`).
    public func interface(named name: String) throws -> NetworkInterface {
        var link: OpaquePointer?
        let result = rtnl_link_get_kernel(socket.handle, 0, name, &link)
        guard result >= 0, let link else {
            throw NetlinkError(operation: "look up interface \(name)", result: result < 0 ? result : -NLE_OBJ_NOTFOUND)
        }
        defer { rtnl_link_put(link) }
        return Self.networkInterface(link)
    }

    /// Every interface in the namespace (`rtnl_link_alloc_cache`).
    public func interfaces() throws -> [NetworkInterface] {
        var cache: OpaquePointer?
        let result = rtnl_link_alloc_cache(socket.handle, AF_UNSPEC, &cache)
        guard result >= 0, let cache else { throw NetlinkError(operation: "list interfaces", result: result) }
        defer { nl_cache_free(cache) }
        var found: [NetworkInterface] = []
        var object = nl_cache_get_first(cache)
        while let current = object {
            found.append(Self.networkInterface(current))
            object = nl_cache_get_next(current)
        }
        return found
    }

    private static func networkInterface(_ link: OpaquePointer) -> NetworkInterface {
        NetworkInterface(
            index: rtnl_link_get_ifindex(link), name: String(cString: rtnl_link_get_name(link)),
            mtu: rtnl_link_get_mtu(link), isUp: rtnl_link_get_flags(link) & UInt32(IFF_UP) != 0,
            kind: rtnl_link_get_type(link).map { String(cString: $0) },
            alias: rtnl_link_get_ifalias(link).map { String(cString: $0) })
    }

    /// Every qdisc on the interface (an RTM_GETQDISC dump, filtered by index).
    public func qdiscs(interfaceIndex: Int32) throws -> [KernelQdisc] {
        var found: [KernelQdisc] = []
        try dump(type: Int32(RTM_GETQDISC), interfaceIndex: interfaceIndex, operation: "list qdiscs") { header in
            if let qdisc = TrafficControlMessages.qdisc(header), qdisc.interfaceIndex == interfaceIndex {
                found.append(qdisc)
            }
        }
        return found
    }

    /// Every class on the interface (an RTM_GETTCLASS dump).
    public func classes(interfaceIndex: Int32) throws -> [KernelClass] {
        var found: [KernelClass] = []
        try dump(type: Int32(RTM_GETTCLASS), interfaceIndex: interfaceIndex, operation: "list classes") { header in
            if let trafficClass = TrafficControlMessages.trafficClass(header), trafficClass.interfaceIndex == interfaceIndex {
                found.append(trafficClass)
            }
        }
        return found
    }

    /// The filters under `parent` on the interface (an RTM_GETTFILTER dump).
    public func filters(interfaceIndex: Int32, parent: TrafficControlHandle) throws -> [KernelFilter] {
        var found: [KernelFilter] = []
        try dump(type: Int32(RTM_GETTFILTER), interfaceIndex: interfaceIndex, parent: parent.rawValue,
                 operation: "list filters") { header in
            if let filter = TrafficControlMessages.filter(header), filter.interfaceIndex == interfaceIndex {
                found.append(filter)
            }
        }
        return found
    }

    /// The interface called `name`, or `nil` when there is none.
    public func interfaceIfPresent(named name: String) throws -> NetworkInterface? {
        do {
            return try interface(named: name)
        } catch let error as NetlinkError where error.isNotFound {
            return nil
        }
    }

    func dump(type: Int32, interfaceIndex: Int32, parent: UInt32 = 0, operation: String,
              _ body: (UnsafeMutablePointer<nlmsghdr>) -> Void) throws {
        var request = tcmsg()
        request.tcm_family = UInt8(AF_UNSPEC)
        request.tcm_ifindex = interfaceIndex
        request.tcm_parent = parent
        try withUnsafeBytes(of: &request) { header in
            try socket.dump(type: type, header: header, operation: operation, body)
        }
    }
}
