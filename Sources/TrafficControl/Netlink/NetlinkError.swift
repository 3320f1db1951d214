internal import CNetlink

/// A failed netlink operation, with libnl's error code and text kept, and a message a person can act on.
public struct NetlinkError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was being done: `add class 7470:1 on veth0`.
    public var operation: String
    /// libnl's (positive) NLE_* code.
    public var code: Int32
    /// libnl's text for the code.
    public var libnlMessage: String

    public init(operation: String, code: Int32, libnlMessage: String) {
        self.operation = operation
        self.code = code
        self.libnlMessage = libnlMessage
    }

    /// From a negative libnl return value.
    init(operation: String, result: Int32) {
        let code = abs(result)
        self.init(operation: operation, code: code, libnlMessage: String(cString: nl_geterror(code)))
    }

    /// True when the kernel refused for lack of `CAP_NET_ADMIN`.
    public var isPermissionDenied: Bool { code == NLE_PERM || code == NLE_NOACCESS }
    /// True when the object (or interface) does not exist.
    public var isNotFound: Bool { code == NLE_OBJ_NOTFOUND || code == NLE_NODEV }
    /// True when the kernel does not know a qdisc, classifier or action kind.
    public var isUnsupported: Bool { code == NLE_OPNOTSUPP || code == NLE_AF_NOSUPPORT }
    /// True when an object with that handle exists already.
    public var isExisting: Bool { code == NLE_EXIST }

    public var description: String {
        var hint = ""
        if isPermissionDenied {
            hint = ": permission denied; run as root or grant CAP_NET_ADMIN "
                + "(for example: setcap cap_net_admin+ep $(command -v throttlectl))"
        } else if isUnsupported {
            hint = ": the kernel does not support this (a qdisc, classifier or action module may be missing)"
        } else {
            hint = ": \(libnlMessage)"
        }
        return "\(operation) failed\(hint) (libnl error \(code))"
    }
}
