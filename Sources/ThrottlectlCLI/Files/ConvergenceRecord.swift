import Foundation
import ThrottlePolicy
import TokenBucket
import TrafficControl

#if canImport(Glibc)
    import Glibc
#endif

/// "This kernel state needs nothing for this plan": the fact a full `apply` established last time it found
/// nothing to change, kept as `STATE-DIR/IF.converged` so that the next run with the same inputs can stop
/// after reading the kernel, without planning the selection's trees or diffing them.
///
/// The record holds the plan's inputs (this executable, the window's rates, the interface, the packet
/// scheduler clock, the selection's identity — tag file and request —, `--force` and the recorded root) and
/// the ``ObservedState/fingerprint`` of the kernel as read then. The reconciler is a pure function of those,
/// so when both are equal again, its answer (no operations) is too. The kernel is still read in full on
/// every run: anything someone changed (a node deleted, a key altered, a qdisc replaced) changes the
/// fingerprint, and the run falls back to planning and repairing.
struct ConvergenceRecord {
    let store: StateStore
    let interface: String

    private var name: String { "\(interface).converged" }

    /// The plan's inputs as one line of text.
    static func key(window: Window, interface: NetworkInterface, clock: PacketSchedulerClock, selection: String,
                    force: Bool, recordedRoot: QdiscSpec?, sizedFor: BucketSizingRates = .own) -> String {
        var executable = stat()
        let binary = stat("/proc/self/exe", &executable) == 0
            ? "\(executable.st_dev):\(executable.st_ino):\(executable.st_size):\(executable.st_mtim.tv_sec)."
                + "\(executable.st_mtim.tv_nsec)"
            : "unknown"
        let rates = "\(window.allowance.kind.rawValue) \(window.allowance.bandwidth.bitsPerSecond.map(String.init) ?? "-") "
            + "\(window.allowance.download.bitsPerSecond.map(String.init) ?? "-")"
        let root = recordedRoot.map { "\($0.handle.rawValue) \($0.parent.rawValue) \($0.configuration)" } ?? "none"
        // The sized-for rates, not only the sizing: a changed fastest rate changes every window's bucket.
        let sizing = "sized for \(sizedFor.upload.map(String.init) ?? "own") \(sizedFor.download.map(String.init) ?? "own")"
        return ["v1", binary, rates, sizing, "\(interface.index) \(interface.name) \(interface.mtu)", clock.description,
                "force \(force)", "root \(root)", selection].joined(separator: "\n")
    }

    /// True when the record says `observed` needs nothing for the plan with `key`.
    func holds(key: String, observed: ObservedState) -> Bool {
        guard let folder = try? store.open(create: false),
            let bytes = try? folder.contents(of: name, limit: 1 << 20)
        else { return false }
        return bytes == Self.encode(key: key, fingerprint: observed.fingerprint)
    }

    /// Records that `observed` needed nothing for the plan with `key` (a failure only costs the next run time).
    func record(key: String, observed: ObservedState) {
        guard let folder = try? store.open(create: true) else { return }
        try? folder.writeAtomically(name, Self.encode(key: key, fingerprint: observed.fingerprint))
    }

    func remove() {
        guard let folder = try? store.open(create: false) else { return }
        try? folder.remove(name)
    }

    private static func encode(key: String, fingerprint: UInt64) -> [UInt8] {
        Array("\(key)\nkernel \(String(fingerprint, radix: 16))\n".utf8)
    }
}
