import ParleyDocs

/// A document whose every text would be markup if it were not escaped, for the renderer tests.
enum HostileDocument {
    static let document = DataflowDocument(
        title: "CRM_ *x* |y| to <Shop> & Co",
        generated: "2024-10-28 00:00:00",
        sections: [
            DocumentSection(title: "- 1. Order [a](b) #tag", blocks: [
                .paragraph("1. first `tick` a|b x_ ends::"),
                .paragraph("set \(code: "archived")to \(code: "a|b").\(code: "<script>\"q\" & 'x'</script>")"),
                .table(DocumentTable(header: ["a_ Property", "<b>"], rows: [["in_progress", "#. item"], ["x|y", "* star & <i>"]])),
            ]),
        ])
}
