internal import CNetlink

/// A netlink message under construction (`nlmsg_alloc_simple`), freed with the value (`nlmsg_free`).
final class NetlinkRequest {
    let handle: OpaquePointer
    private var nests: [UnsafeMutablePointer<nlattr>] = []

    /// A message of `type` with `flags`, in a buffer of libnl's default size (a page), or of `capacity` bytes
    /// (`nlmsg_alloc_size`): a filter message needs a few hundred, and a batch holds thousands of them at once.
    init(type: Int32, flags: Int32, capacity: Int? = nil) throws {
        guard let capacity else {
            guard let message = nlmsg_alloc_simple(type, flags) else {
                throw NetlinkError(operation: "allocate a netlink message", result: -NLE_NOMEM)
            }
            handle = message
            return
        }
        guard let message = nlmsg_alloc_size(capacity), let header = nlmsg_hdr(message) else {
            throw NetlinkError(operation: "allocate a netlink message", result: -NLE_NOMEM)
        }
        header.pointee.nlmsg_type = UInt16(truncatingIfNeeded: type)
        header.pointee.nlmsg_flags = UInt16(truncatingIfNeeded: flags)
        handle = message
    }

    /// Enough for any filter message throttlectl writes (a u32 node with four keys, a link and a mirred action
    /// is under 400 bytes); a message that would not fit fails to build (`NLE_NOMEM`), it is never cut.
    static let filterCapacity = 1024

    deinit { nlmsg_free(handle) }

    /// Appends the fixed header (`nlmsg_append`), for example a `tcmsg`.
    func append<T: BitwiseCopyable>(header: T) throws {
        var header = header
        let result = nlmsg_append(handle, &header, MemoryLayout<T>.size, Int32(NLMSG_ALIGNTO))
        guard result >= 0 else { throw NetlinkError(operation: "build a netlink message", result: result) }
    }

    /// `nla_put` of raw bytes.
    func put(_ type: UInt16, bytes: [UInt8]) throws {
        let result = bytes.withUnsafeBytes { nla_put(handle, Int32(type), Int32($0.count), $0.baseAddress) }
        guard result >= 0 else { throw NetlinkError(operation: "build a netlink message", result: result) }
    }

    /// `nla_put` of a C struct or integer.
    func put<T>(_ type: UInt16, value: T) throws {
        var value = value
        let result = withUnsafeBytes(of: &value) { nla_put(handle, Int32(type), Int32($0.count), $0.baseAddress) }
        guard result >= 0 else { throw NetlinkError(operation: "build a netlink message", result: result) }
    }

    /// `nla_put_string`.
    func put(_ type: UInt16, string: String) throws {
        let result = nla_put_string(handle, Int32(type), string)
        guard result >= 0 else { throw NetlinkError(operation: "build a netlink message", result: result) }
    }

    /// `nla_nest_start` … `nla_nest_end` around `body`.
    func nest(_ type: UInt16, _ body: () throws -> Void) throws {
        guard let start = nla_nest_start(handle, Int32(type)) else {
            throw NetlinkError(operation: "build a netlink message", result: -NLE_NOMEM)
        }
        try body()
        let result = nla_nest_end(handle, start)
        guard result >= 0 else { throw NetlinkError(operation: "build a netlink message", result: result) }
    }
}
