import TokenBucket

/// One change to the kernel, as the reconciler plans it and a writer carries it out.
public enum TrafficControlOperation: Hashable, Sendable, CustomStringConvertible {
    case createIFB(String)
    /// Sets an IFB's alias to throttlectl's marker (``Ownership/ifbAlias(interface:index:)``).
    case markIFB(String, alias: String)
    case bringUp(String)
    case deleteLink(String)
    case addQdisc(QdiscSpec)
    /// Puts a qdisc in place of another at the same parent (`NLM_F_REPLACE`): `--force`, or a restore.
    case replaceQdisc(QdiscSpec)
    /// Changes a qdisc in place, keeping its handle, children and counters.
    case changeQdisc(QdiscSpec)
    case deleteQdisc(QdiscSpec)
    case addFilter(RedirectFilterSpec)
    case deleteFilter(RedirectFilterSpec)

    /// A short verb for reports: `add-qdisc`, `change-class`, …
    public var verb: String {
        switch self {
        case .createIFB: return "create-ifb"
        case .markIFB: return "mark-ifb"
        case .bringUp: return "link-up"
        case .deleteLink: return "delete-link"
        case .addQdisc: return "add-qdisc"
        case .replaceQdisc: return "replace-qdisc"
        case .changeQdisc: return "change-qdisc"
        case .deleteQdisc: return "delete-qdisc"
        case .addFilter: return "add-filter"
        case .deleteFilter: return "delete-filter"
        }
    }

    public var description: String {
        switch self {
        case .createIFB(let name): return "create IFB device \(name)"
        case .markIFB(let name, let alias): return "set the alias of \(name) to \(alias)"
        case .bringUp(let name): return "bring \(name) up"
        case .deleteLink(let name): return "delete device \(name)"
        case .addQdisc(let spec): return "add \(spec)"
        case .replaceQdisc(let spec): return "replace the root with \(spec)"
        case .changeQdisc(let spec): return "change \(spec)"
        case .deleteQdisc(let spec): return "delete \(spec)"
        case .addFilter(let spec): return "add \(spec)"
        case .deleteFilter(let spec): return "delete \(spec)"
        }
    }

    /// The equivalent `tc` / `ip` command line, for dry runs and people; device names are shell-quoted.
    public var commandLine: String {
        switch self {
        case .createIFB(let name): return "ip link add \(ShellWord.quoted(name)) type ifb"
        case .markIFB(let name, let alias): return "ip link set dev \(ShellWord.quoted(name)) alias \(ShellWord.quoted(alias))"
        case .bringUp(let name): return "ip link set \(ShellWord.quoted(name)) up"
        case .deleteLink(let name): return "ip link delete \(ShellWord.quoted(name))"
        case .addQdisc(let spec): return "tc qdisc add " + Self.qdiscWords(spec)
        case .replaceQdisc(let spec): return "tc qdisc replace " + Self.qdiscWords(spec)
        case .changeQdisc(let spec): return "tc qdisc change " + Self.qdiscWords(spec)
        case .deleteQdisc(let spec):
            return spec.configuration == .ingress
                ? "tc qdisc del dev \(ShellWord.quoted(spec.device)) ingress"
                : "tc qdisc del dev \(ShellWord.quoted(spec.device)) \(Self.parentWords(spec.parent)) handle \(spec.handle)"
        case .addFilter(let spec):
            return "tc filter add dev \(ShellWord.quoted(spec.device)) parent \(spec.parent) protocol \(spec.protocolName) prio "
                + "\(spec.priority) u32 match u32 0 0 action mirred egress redirect dev \(ShellWord.quoted(spec.target))"
        case .deleteFilter(let spec):
            return "tc filter del dev \(ShellWord.quoted(spec.device)) parent \(spec.parent) protocol "
                + "\(spec.protocolName) prio \(spec.priority)"
        }
    }

    private static func parentWords(_ parent: TrafficControlHandle) -> String {
        parent == .root ? "root" : "parent \(parent)"
    }

    private static func qdiscWords(_ spec: QdiscSpec) -> String {
        let base = "dev \(ShellWord.quoted(spec.device))"
        switch spec.configuration {
        case .tbf(let setting):
            return base + " \(parentWords(spec.parent)) handle \(spec.handle) tbf rate \(setting.rate * 8)bit burst "
                + "\(setting.burst) limit \(setting.limit)"
        case .ingress: return base + " ingress"
        case .recorded(let kind, _):
            return base + " \(parentWords(spec.parent)) handle \(spec.handle) \(kind) (options as recorded)"
        }
    }
}

/// An operation and what undoes it, worked out from the state read before anything was written.
public struct PlannedOperation: Hashable, Sendable {
    public var operation: TrafficControlOperation
    public var undo: [TrafficControlOperation]

    public init(operation: TrafficControlOperation, undo: [TrafficControlOperation]) {
        self.operation = operation
        self.undo = undo
    }
}
