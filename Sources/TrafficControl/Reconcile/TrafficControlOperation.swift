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
    /// Adds a u32 hash table or key node of a traffic selection.
    case addU32(U32Spec)
    /// Deletes a u32 node, or a table with the nodes in it.
    case deleteU32(U32Spec)
    /// Deletes a whole filter priority (its root table with it); succeeds when it is already gone.
    case deleteFilterPriority(FilterPrioritySpec)

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
        case .addU32: return "add-u32"
        case .deleteU32: return "delete-u32"
        case .deleteFilterPriority: return "delete-filter-prio"
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
        case .addU32(let spec): return "add \(spec)"
        case .deleteU32(let spec): return "delete \(spec)"
        case .deleteFilterPriority(let spec): return "delete \(spec)"
        }
    }

    /// The equivalent `tc` / `ip` command line, for dry runs and people (names shell-quoted when needed).
    public var commandLine: String {
        switch self {
        case .createIFB(let name): return "ip link add \(quoted(name)) type ifb"
        case .markIFB(let name, let alias): return "ip link set dev \(quoted(name)) alias \(quoted(alias))"
        case .bringUp(let name): return "ip link set \(quoted(name)) up"
        case .deleteLink(let name): return "ip link delete \(quoted(name))"
        case .addQdisc(let spec): return "tc qdisc add " + Self.qdiscWords(spec)
        case .replaceQdisc(let spec): return "tc qdisc replace " + Self.qdiscWords(spec)
        case .changeQdisc(let spec): return "tc qdisc change " + Self.qdiscWords(spec)
        case .deleteQdisc(let spec):
            switch spec.configuration {
            case .ingress, .clsact: return "tc qdisc del dev \(quoted(spec.device)) \(spec.configuration.kind)"
            default:
                return "tc qdisc del dev \(quoted(spec.device)) \(Self.parentWords(spec.parent)) handle \(spec.handle)"
            }
        case .addFilter(let spec):
            return "tc filter add dev \(quoted(spec.device)) parent \(spec.parent) protocol \(spec.protocolName) prio "
                + "\(spec.priority) u32 match u32 0 0 action mirred egress redirect dev \(quoted(spec.target))"
        case .deleteFilter(let spec):
            return "tc filter del dev \(quoted(spec.device)) parent \(spec.parent) protocol \(spec.protocolName) prio "
                + "\(spec.priority)"
        case .addU32(let spec): return U32CommandLine.add(spec)
        case .deleteU32(let spec): return U32CommandLine.delete(spec)
        case .deleteFilterPriority(let spec):
            return "tc filter del dev \(quoted(spec.device)) \(spec.hook.rawValue) protocol "
                + "\(spec.ethertype == 0x0800 ? "ip" : "ipv6") prio \(spec.priority)"
        }
    }

    private static func parentWords(_ parent: TrafficControlHandle) -> String {
        parent == .root ? "root" : "parent \(parent)"
    }

    private static func qdiscWords(_ spec: QdiscSpec) -> String {
        let base = "dev \(quoted(spec.device))"
        switch spec.configuration {
        case .tbf(let setting):
            return base + " \(parentWords(spec.parent)) handle \(spec.handle) tbf rate \(setting.rate * 8)bit burst "
                + "\(setting.burst) limit \(setting.limit)"
        case .ingress: return base + " ingress"
        case .clsact: return base + " clsact"
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
