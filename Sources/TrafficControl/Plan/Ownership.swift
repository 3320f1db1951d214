import TrafficSelection

/// The kernel objects throttlectl owns, and how to recognise them.
///
/// Everything of ours carries major handle `0x7470` ("tp") or `0x7471`, or a filter priority of `0x7470`
/// (IPv4) / `0x7471` (IPv6) on the ingress side, or is the IFB device named by ``ifbName(forIndex:)``
/// (and, once marked, carrying the alias ``ifbAlias(interface:index:)``). Nothing else is ever changed or
/// deleted.
///
/// A traffic selection adds: u32 priorities ``selectionPriority(_:hook:)`` (`0x7472` … `0x7475`) on the
/// clsact hooks, u32 table ids in the ranges of ``tableIDs(hook:family:)``, and the upload IFB
/// ``uploadIFBName(forIndex:)`` marked ``uploadIFBAlias(interface:index:)``.
public enum Ownership {
    /// The root TBF qdisc on the interface (upload) and on the IFB (download).
    public static let rootHandle = TrafficControlHandle(major: 0x7470, minor: 0)
    /// The handle a root TBF is swapped to when its bucket must shrink (see ``Reconciler``), and back.
    public static let alternateRootHandle = TrafficControlHandle(major: 0x7471, minor: 0)
    /// The u32 filter priorities that redirect ingress IPv4 and IPv6 to the IFB.
    public static let ipv4FilterPriority: UInt16 = 0x7470
    public static let ipv6FilterPriority: UInt16 = 0x7471

    /// The u32 priority of a traffic selection for a family on a hook: `0x7472`/`0x7473` (IPv4/IPv6) on
    /// egress, `0x7474`/`0x7475` on ingress. Apart from the whole-interface ones, so that switching between
    /// the layouts can add the new filters before removing the old; and apart per hook, because both hooks
    /// share one u32 table namespace and the kernel dumps a priority's tables by priority alone.
    public static func selectionPriority(_ family: AddressFamily, hook: ClsactHook) -> UInt16 {
        (hook == .egress ? 0x7472 : 0x7474) + (family == .ipv4 ? 0 : 1)
    }

    /// True for the priorities of ``selectionPriority(_:hook:)``.
    public static func isSelectionPriority(_ priority: UInt16) -> Bool { (0x7472...0x7475).contains(priority) }

    /// The u32 hash-table ids a selection tree may use: 512 per hook and family, all below `0x800` (the kernel
    /// numbers the root tables it makes itself from `0x800` up), and apart per hook because both clsact hooks
    /// share one table namespace. The first id of each range is the port table.
    public static func tableIDs(hook: ClsactHook, family: AddressFamily) -> ClosedRange<UInt32> {
        let base: UInt32 = (hook == .egress ? 0 : 0x400) + (family == .ipv4 ? 0 : 0x200)
        return (base + 1)...(base + 0x1FF)
    }

    /// True for a u32 table id of a selection.
    public static func ownsTable(_ id: UInt32) -> Bool { id >= 1 && id < 0x800 }

    /// The IFB that shapes selected upload traffic: `ifb-u<ifindex>` (15 characters at most, like ``ifbName(forIndex:)``).
    public static func uploadIFBName(forIndex index: Int32) -> String { "ifb-u\(index)" }

    /// The alias of the upload IFB: `throttlectl:<ifindex>:<name>:upload`.
    public static func uploadIFBAlias(interface: String, index: Int32) -> String {
        ifbAlias(interface: interface, index: index) + ":upload"
    }

    /// True for the handles throttlectl creates.
    public static func owns(_ handle: TrafficControlHandle) -> Bool {
        handle.major == 0x7470 || handle.major == 0x7471
    }

    /// The IFB device for the interface with index `index`: `ifb-t<ifindex>`.
    ///
    /// Derived from the index, not the name: indexes are unique in a network namespace, so no two interfaces
    /// can ever map to one IFB (names are not: two long names had to share a hashed one), a rename keeps the
    /// IFB, and the name always fits the kernel's 15 characters (`ifb-t` and at most 10 digits).
    public static func ifbName(forIndex index: Int32) -> String { "ifb-t\(index)" }

    /// The alias (`ip link set … alias`) that marks an IFB as throttlectl's and names the interface it serves:
    /// `throttlectl:<ifindex>:<name>`. Interface names cannot contain `:`, so it parses back unambiguously.
    /// The kernel ignores an alias given at creation, so it is set right after (a run killed in between
    /// leaves an unmarked IFB with our name, which the next `apply` marks).
    public static func ifbAlias(interface: String, index: Int32) -> String { "throttlectl:\(index):\(interface)" }

    /// The interface an IFB alias says it serves, or `nil` when the alias is not one of ours.
    public static func servedInterface(alias: String?) -> (index: Int32, name: String)? {
        guard let alias, alias.hasPrefix("throttlectl:") else { return nil }
        let parts = alias.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let index = Int32(parts[1]), index > 0, !parts[2].isEmpty else { return nil }
        // Interface names cannot contain ":", so a ":upload" suffix is the upload IFB's role, not the name.
        let name = parts[2].hasSuffix(":upload") ? parts[2].dropLast(7) : parts[2]
        return name.isEmpty ? nil : (index, String(name))
    }

    /// Root qdisc kinds that `--force` may replace: classless, and put back faithfully from their dumped
    /// options. Only kinds that the kernel tests replace, restore and replace again in a namespace are listed
    /// (fq_codel, fq, sfq and codel could join once a test kernel with those modules shows they replay).
    public static let restorableRootKinds: Set<String> = ["pfifo", "bfifo", "pfifo_head_drop", "pfifo_fast", "tbf"]

    /// Classful kinds: replacing one would drop its classes, children and filters, so it is never replaced.
    public static let classfulRootKinds: Set<String> = [
        "htb", "hfsc", "cbq", "prio", "drr", "qfq", "mq", "mqprio", "multiq", "ets", "taprio", "atm", "dsmark",
        "red", "choke", "gred",
    ]
}
