/// A traffic selection under construction: each key optional, so that flags can replace a file's keys one
/// by one (as the schedule flags replace its settings), and the keys that must go together are checked once,
/// on the result.
public struct TrafficDraft: Sendable {
    /// A value and where it was written.
    public typealias Item<Value: Hashable & Sendable> = TrafficRequest.Item<Value>

    /// `service-tags`: the tag file's path.
    public var serviceTags: Item<String>?
    /// `nil`: not given; `[]`: given empty.
    public var tags: [Item<String>]?
    /// `prefixes`.
    public var prefixes: [Item<String>]?
    /// `exclude-prefixes`.
    public var excludedPrefixes: [Item<String>]?
    /// `ports`.
    public var ports: [Item<Int>]?
    /// `preset`.
    public var preset: Item<TrafficPreset>?
    /// The `traffic` section's value in a file, or `.flag("flags")`.
    public var origin: ValueOrigin

    /// An empty draft for the section at `origin`.
    public init(origin: ValueOrigin) { self.origin = origin }

    /// True when no key is given at all (`traffic: {}`, or no selection flag).
    public var isEmpty: Bool {
        serviceTags == nil && tags == nil && prefixes == nil && excludedPrefixes == nil && ports == nil && preset == nil
    }

    /// `base` with every key that `overrides` gives replaced by its value; either may be absent.
    public static func overlay(_ base: TrafficDraft?, with overrides: TrafficDraft?) -> TrafficDraft? {
        guard let overrides, !overrides.isEmpty else { return base }
        guard var merged = base else { return overrides }
        merged.serviceTags = overrides.serviceTags ?? merged.serviceTags
        merged.tags = overrides.tags ?? merged.tags
        merged.prefixes = overrides.prefixes ?? merged.prefixes
        merged.excludedPrefixes = overrides.excludedPrefixes ?? merged.excludedPrefixes
        merged.ports = overrides.ports ?? merged.ports
        merged.preset = overrides.preset ?? merged.preset
        return merged
    }

    /// The request, or the problems that need no tag file to find: a preset or tags without `service-tags`,
    /// and a section that selects nothing.
    func build() -> (request: TrafficRequest?, problems: [PolicyDiagnostic]) {
        var problems: [PolicyDiagnostic] = []
        let asFlags = { if case .flag = $0 { return true } else { return false } }(origin)
        let fileKey = asFlags ? "--service-tags FILE" : "service-tags: FILE"
        let tags = tags ?? []
        if serviceTags == nil {
            if let preset {
                problems.append(PolicyDiagnostic(
                    origin: preset.origin,
                    message: "preset \(preset.value.rawValue) selects service tags, so it needs a service-tags file "
                        + "(\(fileKey), Microsoft's weekly ServiceTags_*.json)"))
            }
            if let first = tags.first {
                problems.append(PolicyDiagnostic(
                    origin: first.origin,
                    message: "tag\(tags.count == 1 ? "" : "s") \(tags.map(\.value).joined(separator: ", ")) "
                        + "need\(tags.count == 1 ? "s" : "") a service-tags file (\(fileKey))"))
            }
        }
        if preset == nil && tags.isEmpty && (prefixes ?? []).isEmpty {
            let what = asFlags
                ? "--preset mars or --tag NAME (with --service-tags FILE), or --prefix CIDR"
                : "preset: mars or tags (with service-tags), or prefixes"
            let message = isEmpty
                ? "traffic is empty: give \(what) (to shape the whole interface, leave traffic out)"
                : "traffic selects nothing: give \(what)"
            problems.append(PolicyDiagnostic(origin: origin, message: message))
        }
        guard problems.isEmpty else { return (nil, problems) }
        let request = TrafficRequest(
            serviceTags: serviceTags, tags: tags, prefixes: prefixes ?? [], excludedPrefixes: excludedPrefixes ?? [],
            ports: ports ?? [], preset: preset, origin: origin)
        return (request, [])
    }
}
