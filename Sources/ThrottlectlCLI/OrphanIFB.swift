import ArgumentParser
import TrafficControl

/// The IFBs throttlectl made for an interface that is gone: found by their alias
/// (``Ownership/ifbAlias(interface:index:)``), which names the interface and its index, so that
/// `clear -i GONE` can remove them after the interface was deleted.
enum OrphanIFB {
    /// The IFBs marked as serving `name` whose interface index no longer exists.
    /// - Returns: the orphans, and the interfaces that still exist under another name (renamed).
    static func find(serving name: String, in kernel: KernelConnection) throws
        -> (orphans: [NetworkInterface], renamed: [NetworkInterface])
    {
        let interfaces = try kernel.interfaces()
        var orphans: [NetworkInterface] = []
        var renamed: [NetworkInterface] = []
        for ifb in interfaces where ifb.kind == "ifb" {
            guard let served = Ownership.servedInterface(alias: ifb.alias), served.name == name,
                ifb.name == Ownership.ifbName(forIndex: served.index)
                    || ifb.name == Ownership.uploadIFBName(forIndex: served.index)
            else { continue }
            if let current = interfaces.first(where: { $0.index == served.index }) {
                renamed.append(current)
            } else {
                orphans.append(ifb)
            }
        }
        return (orphans, renamed)
    }

    /// `clear` for an interface that does not exist: removes its orphan IFBs, or ends with 75.
    static func clear(interface: String, kernel: KernelConnection, store: StateStore, json: Bool) throws {
        let found: (orphans: [NetworkInterface], renamed: [NetworkInterface])
        do { found = try find(serving: interface, in: kernel) } catch {
            printError("\(interface): cannot list interfaces: \(error)")
            throw KernelFailure.exitCode(for: error)
        }
        if let current = found.renamed.first {
            printError("\(interface) is now called \(current.name) (index \(current.index)); run "
                + "`throttlectl clear -i \(current.name)`; nothing was changed")
            throw ExitCode(ExitStatus.temporaryFailure.rawValue)
        }
        guard !found.orphans.isEmpty else { throw KernelSnapshot.missing(interface) }
        let operations = found.orphans.map { PlannedOperation(operation: .deleteLink($0.name), undo: []) }
        let outcome = Applier().apply(operations, with: TestHooks.writer(LibnlWriter(kernel: kernel)))
        var report = ApplyReport(interface: interface, window: nil, timeZone: .current, plan: nil,
                                 operations: operations.map(\.operation), dryRun: false)
        report.outcome = outcome
        do { try store.journal(report.journalEntry) } catch {
            printError("warning: cannot append to \(store.journalPath): \(error)")
        }
        if let failure = outcome.failure {
            printError("\(interface): \(KernelFailure.message(for: failure.operation, error: failure.error))")
            throw KernelFailure.exitCode(for: failure.error)
        }
        print(json ? report.json : report.appliedText)
    }
}
