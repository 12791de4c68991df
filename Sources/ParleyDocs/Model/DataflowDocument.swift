/// A generated dataflow checklist, independent of its output format: the builders decide *what* the
/// checklist says, the renderers only decide how it looks, so RST, Markdown and HTML never disagree.
public struct DataflowDocument: Sendable, Hashable {
    /// "Custom ERP to Custom PMS Dataflow".
    public var title: String
    /// `YYYY-MM-DD HH:MM:SS` (UTC).
    public var generated: String
    public var sections: [DocumentSection]

    public init(title: String, generated: String, sections: [DocumentSection]) {
        self.title = title
        self.generated = generated
        self.sections = sections
    }
}

public struct DocumentSection: Sendable, Hashable {
    public var title: String
    public var blocks: [DocumentBlock]

    public init(title: String, blocks: [DocumentBlock]) {
        self.title = title
        self.blocks = blocks
    }
}

public enum DocumentBlock: Sendable, Hashable {
    case paragraph(RichText)
    case table(DocumentTable)
}

/// A table with one header row; every row has as many cells as the header.
public struct DocumentTable: Sendable, Hashable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }
}
