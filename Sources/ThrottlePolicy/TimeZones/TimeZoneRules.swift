/// A local time type: an offset from UTC, its abbreviation, and whether it is daylight-saving time.
public struct LocalTimeType: Hashable, Sendable {
    /// Seconds east of UTC (Berlin in winter: 3600; New York in winter: −18000).
    public var offset: Int
    /// The abbreviation the zone uses, such as `CET`, `EDT` or `+0530`.
    public var abbreviation: String
    /// True for daylight-saving (summer) time.
    public var isDaylightSaving: Bool

    /// A local time type from its parts.
    public init(offset: Int, abbreviation: String, isDaylightSaving: Bool) {
        self.offset = offset
        self.abbreviation = abbreviation
        self.isDaylightSaving = isDaylightSaving
    }
}

/// A time zone's rules, read from the system's TZif files (RFC 8536): which offset from UTC is in force at
/// any instant.
///
/// Before the first transition the file's first local time type applies; after the last one, the POSIX rule
/// in the file's footer. Obtain zones with ``TimeZoneName/parse(_:)``, ``TimeZoneDatabase`` or ``current``.
public struct TimeZoneRules: Hashable, Sendable, CustomStringConvertible {
    /// The name the zone was looked up by, such as `Europe/Berlin` (`localtime` for an unnamed system zone).
    public let name: String
    let contents: TZifContents

    /// Rules from parsed TZif contents, under `name`.
    init(name: String, contents: TZifContents) {
        self.name = name
        self.contents = contents
    }

    /// Rules from the bytes of a TZif file.
    /// - Parameters:
    ///   - name: what to call the zone.
    ///   - tzif: the file's bytes, versions 1 to 4.
    /// - Throws: ``ValueError`` when the bytes are not a valid TZif file.
    public init(name: String, tzif: [UInt8]) throws(ValueError) {
        self.init(name: name, contents: try TZifReader.parse(tzif))
    }

    /// A zone that follows one POSIX rule at every instant (a `TZ` such as `UTC+5` or `EST5EDT,M3.2.0,M11.1.0`).
    init(name: String, posixRule: PosixTimeZoneRule) {
        self.init(name: name, contents: TZifContents(version: 2, transitions: [], typeIndices: [],
                                                     types: [posixRule.standard], footer: posixRule))
    }

    /// Coordinated Universal Time, built in: used when the system has no zone files at all.
    public static let utc = TimeZoneRules(
        name: "UTC",
        contents: TZifContents(
            version: 2, transitions: [], typeIndices: [],
            types: [LocalTimeType(offset: 0, abbreviation: "UTC", isDaylightSaving: false)], footer: nil))

    /// Instants beyond ±10¹⁵ s (some 30 million years) are clamped, so arithmetic on them cannot overflow.
    private static let limit = 1_000_000_000_000_000

    /// The local time type in force at `instant` (seconds since 1970 UTC).
    public func localTimeType(at instant: Int) -> LocalTimeType {
        let instant = min(max(instant, -Self.limit), Self.limit)
        let transitions = contents.transitions
        guard let last = transitions.last else {
            return contents.footer?.localTimeType(at: instant) ?? contents.types[0]
        }
        if instant < transitions[0] { return contents.types[0] }
        if instant > last, let footer = contents.footer { return footer.localTimeType(at: instant) }
        // The last transition at or before the instant.
        var low = 0
        var high = transitions.count
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if transitions[middle] <= instant { low = middle } else { high = middle }
        }
        return contents.types[contents.typeIndices[low]]
    }

    /// Seconds east of UTC in force at `instant` (seconds since 1970 UTC).
    public func offset(at instant: Int) -> Int { localTimeType(at: instant).offset }

    /// The abbreviation in force at `instant`, such as `CEST`.
    public func abbreviation(at instant: Int) -> String { localTimeType(at: instant).abbreviation }

    /// True when daylight-saving time is in force at `instant`.
    public func isDaylightSaving(at instant: Int) -> Bool { localTimeType(at: instant).isDaylightSaving }

    /// The zone's name.
    public var description: String { name }

    /// Zones of the same name read from the same data are equal; the name alone is hashed.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

extension TimeZoneRules {
    /// The same rules under another name.
    init(renaming zone: TimeZoneRules, to name: String) {
        self.init(name: name, contents: zone.contents)
    }
}
