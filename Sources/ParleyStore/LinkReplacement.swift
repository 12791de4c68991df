import ParleyCore

/// A flow's id on one side, as a dictionary key.
struct LinkKey: Hashable {
    var flow: String
    var id: String
}

extension Array where Element == Link {
    /// The links a batch leaves standing: those no later link of the batch replaces by sharing an id with
    /// them (the result of writing each link in turn, each replacing the rows that hold either of its ids).
    var withoutReplaced: [Link] { standingIndices.map { self[$0] } }

    /// The positions of `withoutReplaced`'s links, in order.
    var standingIndices: [Int] {
        var lastByLeft: [LinkKey: Int] = [:]
        var lastByRight: [LinkKey: Int] = [:]
        for (index, link) in enumerated() {
            if let left = link.leftId { lastByLeft[LinkKey(flow: link.flow, id: left)] = index }
            if let right = link.rightId { lastByRight[LinkKey(flow: link.flow, id: right)] = index }
        }
        return indices.filter { index in
            let link = self[index]
            return (link.leftId.map { lastByLeft[LinkKey(flow: link.flow, id: $0)] == index } ?? true)
                && (link.rightId.map { lastByRight[LinkKey(flow: link.flow, id: $0)] == index } ?? true)
        }
    }
}

extension Link {
    /// Both shadows as stored text. They are usually equal (both sides agree once synced), and comparing
    /// costs less than writing the text a second time.
    var shadowTexts: (left: String, right: String) {
        let left = leftShadow.shadowText
        return (left, rightShadow == leftShadow ? left : rightShadow.shadowText)
    }
}
