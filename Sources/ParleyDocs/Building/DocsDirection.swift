import ParleyCore

/// Which way a document reads: what happens to records of system `from` in system `to`.
public struct DocsDirection: Sendable, Hashable, CustomStringConvertible {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    public var reversed: DocsDirection { DocsDirection(from: to, to: from) }

    /// `erp-to-pms`: the base name of the document's file.
    public var fileStem: String { "\(from)-to-\(to)" }

    public var description: String { "\(from) -> \(to)" }

    /// The side of `flow` that is read from in this direction, or nil when the flow does not connect the
    /// two systems. A flow within one system reads left to right.
    func sourceSide(of flow: FlowDefinition) -> Side? {
        if flow.left.system == from && flow.right.system == to { return .left }
        if flow.right.system == from && flow.left.system == to { return .right }
        return nil
    }

    /// Every direction the flows describe, in the order the flows first name them: for each flow its
    /// left-to-right direction, then the reverse (a one-way flow still gets a section saying so).
    public static func all(in flows: [FlowDefinition]) -> [DocsDirection] {
        var directions: [DocsDirection] = []
        for flow in flows {
            let forward = DocsDirection(from: flow.left.system, to: flow.right.system)
            for direction in [forward, forward.reversed] where !directions.contains(direction) {
                directions.append(direction)
            }
        }
        return directions
    }
}
