import Foundation
import Logging

/// A swift-log handler that writes one `key=value` line per event to standard error, for journald:
/// `time=2026-12-01T21:00:00.120Z level=info event=transition interface=eth0 window=work-hours msg="…"`.
///
/// Values are quoted when they hold spaces, quotes or `=`, and control characters (a newline in a file name or a
/// policy problem) are escaped, so one event is always one line.
struct LogfmtHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    /// Where lines go; standard error unless a test collects them.
    let sink: @Sendable (String) -> Void

    init(sink: @escaping @Sendable (String) -> Void = { FileHandleWriter.standardError.write($0) }) {
        self.sink = sink
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [(String, String)] = [("time", Self.timestamp(Date())), ("level", event.level.rawValue)]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        // `event` first, then the rest in a stable order, so lines are easy to read and to grep.
        if let name = merged["event"] { fields.append(("event", "\(name)")) }
        for key in merged.keys.sorted() where key != "event" { fields.append((key, "\(merged[key]!)")) }
        fields.append(("msg", "\(event.message)"))
        sink(fields.map { "\($0.0)=\(Self.quoted($0.1))" }.joined(separator: " ") + "\n")
    }

    static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "=" && scalar != "\\"
        }
        if plain { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
