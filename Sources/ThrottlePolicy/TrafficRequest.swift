/// The traffic a policy shapes (its `traffic` section, or the MARS-style selection flags), as written.
///
/// Only what needs no service-tags file is checked here (types, ports, the preset, which keys go together);
/// prefixes and tag names are resolved against the tag file outside this target, and each value keeps its
/// origin so that a problem found there points at the policy file's line and column or at the flag.
/// A policy without a request shapes the whole interface.
public struct TrafficRequest: Hashable, Sendable {
    /// A value and where it was written.
    public struct Item<Value: Hashable & Sendable>: Hashable, Sendable {
        /// The value.
        public let value: Value
        /// Where it was written.
        public let origin: ValueOrigin

        /// `value`, written at `origin`.
        public init(_ value: Value, origin: ValueOrigin) {
            self.value = value
            self.origin = origin
        }
    }

    /// The service-tags file as written (a relative path in a policy file is relative to that file's folder,
    /// which `origin` names; on the command line, to the working directory).
    public let serviceTags: Item<String>?
    /// Tag names, as the tag file spells them (`AzureBackup`, `Storage.WestEurope`); the preset's are not here.
    public let tags: [Item<String>]
    /// Extra remote prefixes (CIDR text, checked when the selection is resolved).
    public let prefixes: [Item<String>]
    /// Remote prefixes taken out of the selection.
    public let excludedPrefixes: [Item<String>]
    /// Remote TCP/UDP ports, each 1…65535; empty means any port. The preset's port is not here.
    public let ports: [Item<Int>]
    /// A named selection to add (`preset: mars`).
    public let preset: Item<TrafficPreset>?
    /// Where the request is: the `traffic` section's value, or the flags.
    public let origin: ValueOrigin

    /// A request; the keys that must go together are not checked here (``TrafficDraft`` does).
    public init(
        serviceTags: Item<String>?, tags: [Item<String>] = [], prefixes: [Item<String>] = [],
        excludedPrefixes: [Item<String>] = [], ports: [Item<Int>] = [], preset: Item<TrafficPreset>? = nil,
        origin: ValueOrigin = .code
    ) {
        self.serviceTags = serviceTags
        self.tags = tags
        self.prefixes = prefixes
        self.excludedPrefixes = excludedPrefixes
        self.ports = ports
        self.preset = preset
        self.origin = origin
    }

    /// The keys of a policy file's `traffic` section.
    public static let keys = ["service-tags", "tags", "prefixes", "exclude-prefixes", "ports", "preset"]

    /// A remote port, `1`…`65535`, from its decimal text.
    /// - Throws: ``ValueError`` naming the range.
    public static func port(parsing text: String) throws(ValueError) -> Int {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.count <= 6, trimmed.allSatisfy(\.isASCIIDigit), let port = Int(trimmed) else {
            throw ValueError("a port is a number 1 … 65535, not \"\(text)\"")
        }
        guard (1...65_535).contains(port) else { throw ValueError("port \(port) is not 1 … 65535") }
        return port
    }

    /// A tag name or prefix: any text but an empty one.
    /// - Throws: ``ValueError`` naming what was expected (`a tag name`, `a prefix`).
    public static func item(parsing text: String, kind: String) throws(ValueError) -> String {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw ValueError("an empty \(kind)") }
        return trimmed
    }
}

/// A named selection that stands for tags and ports.
public enum TrafficPreset: String, CaseIterable, Hashable, Sendable {
    /// What the MARS agent's network requirements list: tags `AzureBackup`, `Storage`, `AzureActiveDirectory`
    /// over HTTPS (port 443). The tag names themselves live with the selection code, not in the policy.
    case mars

    /// Reads a preset name (case-insensitive).
    /// - Throws: ``ValueError`` listing the known presets.
    public init(parsing text: String) throws(ValueError) {
        guard let preset = TrafficPreset(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw ValueError("unknown preset \"\(text)\" (known presets: "
                + "\(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = preset
    }
}
