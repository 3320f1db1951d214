/// The kernel objects throttlectl owns, and how to recognise them.
///
/// Everything of ours carries major handle `0x7470` ("tp") or `0x7471`, or a filter priority of `0x7470`
/// (IPv4) / `0x7471` (IPv6) on the ingress side, or is the IFB device named by ``ifbName(for:)``. Nothing
/// else is ever changed or deleted.
public enum Ownership {
    /// The root TBF qdisc on the interface (upload) and on the IFB (download).
    public static let rootHandle = TrafficControlHandle(major: 0x7470, minor: 0)
    /// The handle a root TBF is swapped to when its bucket must shrink (see ``Reconciler``), and back.
    public static let alternateRootHandle = TrafficControlHandle(major: 0x7471, minor: 0)
    /// The u32 filter priorities that redirect ingress IPv4 and IPv6 to the IFB.
    public static let ipv4FilterPriority: UInt16 = 0x7470
    public static let ipv6FilterPriority: UInt16 = 0x7471

    /// True for the handles throttlectl creates.
    public static func owns(_ handle: TrafficControlHandle) -> Bool {
        handle.major == 0x7470 || handle.major == 0x7471
    }

    /// The IFB device for `interface`: `ifb-NAME` when that fits the kernel's 15 characters, else a short
    /// prefix and a stable hash of the full name.
    public static func ifbName(for interface: String) -> String {
        let direct = "ifb-" + interface
        if direct.utf8.count <= 15 { return direct }
        // FNV-1a, 24 bits: stable across runs and machines.
        var hash: UInt32 = 2_166_136_261
        for byte in interface.utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        let hex = String(hash & 0xFF_FFFF, radix: 16)
        let padded = String(repeating: "0", count: 6 - hex.count) + hex
        return "ifb-" + String(interface.prefix(4)) + "-" + padded
    }
}
