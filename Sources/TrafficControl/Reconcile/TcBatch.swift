/// The `tc -batch` file equivalent to a list of operations, for dry runs and for anyone to compare.
///
/// `tc` cannot create devices, so the IFB devices the operations need are named in the header, with the
/// `ip link` commands to create (and mark and bring up) them first; devices to delete are named in the footer,
/// for after the batch. Every other operation is one line, in order, without the leading `tc`.
public enum TcBatch {
    /// The batch file for `operations` (as ``Reconciliation/operations`` or a list of performed operations).
    public static func render(_ operations: [TrafficControlOperation]) -> String {
        var before: [String] = []
        var after: [String] = []
        var lines: [String] = []
        for operation in operations {
            switch operation {
            case .createIFB, .markIFB, .bringUp: before.append(operation.commandLine)
            case .deleteLink: after.append(operation.commandLine)
            default: lines.append(String(operation.commandLine.dropFirst("tc ".count)))
            }
        }
        var text = "# tc -batch file written by throttlectl: \(lines.count) command(s).\n"
        let created = operations.compactMap { if case .createIFB(let name) = $0 { return name } else { return nil } }
        if before.isEmpty {
            text += "# No IFB device needs to be created first.\n"
        } else {
            text += "# IFB devices to create first: \(created.map(quoted).joined(separator: " ")); run before tc -batch:\n"
            text += before.map { "#   \($0)\n" }.joined()
        }
        text += lines.map { $0 + "\n" }.joined()
        if !after.isEmpty {
            text += "# Then delete the devices no longer needed:\n" + after.map { "#   \($0)\n" }.joined()
        }
        return text
    }

    /// The batch file for planned operations.
    public static func render(_ planned: [PlannedOperation]) -> String { render(planned.map(\.operation)) }

    /// The `ip link` commands of the header, to run before `tc -batch` (for scripts and tests).
    public static func deviceCommands(_ operations: [TrafficControlOperation]) -> [String] {
        operations.compactMap {
            switch $0 {
            case .createIFB, .markIFB, .bringUp: return $0.commandLine
            default: return nil
            }
        }
    }
}
