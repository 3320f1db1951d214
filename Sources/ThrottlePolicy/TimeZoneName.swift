import Foundation

/// Reads IANA time zone names.
public enum TimeZoneName {
    /// The zone named `text` (for example `Europe/Berlin`), or an error for names the system does not know.
    public static func parse(_ text: String) throws(ValueError) -> TimeZone {
        var name = text.trimmingWhitespace()
        // Foundation answers "UTC" with a zone called "GMT"; Etc/UTC keeps the name people expect.
        if name == "UTC" { name = "Etc/UTC" }
        guard !name.isEmpty, let zone = TimeZone(identifier: name) else {
            throw ValueError(
                "unknown time zone \"\(text)\": give an IANA name such as Europe/Berlin, America/New_York or UTC "
                    + "(the names under /usr/share/zoneinfo)"
            )
        }
        return zone
    }
}
