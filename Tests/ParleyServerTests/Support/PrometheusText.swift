import Foundation

/// A strict reader of the Prometheus text exposition format (0.0.4), enough to check that `/metrics`
/// parses and to read its samples: HELP/TYPE lines, metric and label names, escaped label values, values.
struct PrometheusText {
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    var types: [String: String] = [:]
    var samples: [Sample] = []

    static func parse(_ text: String) throws -> PrometheusText {
        var result = PrometheusText()
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let number = index + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true).map(String.init)
                guard parts.count >= 3, ["HELP", "TYPE"].contains(parts[1]) else { continue }
                guard isMetricName(parts[2]) else { throw ParseError(line: number, message: "bad metric name '\(parts[2])'") }
                if parts[1] == "TYPE" {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        throw ParseError(line: number, message: "bad TYPE line")
                    }
                    guard result.types[parts[2]] == nil else { throw ParseError(line: number, message: "second TYPE for \(parts[2])") }
                    result.types[parts[2]] = parts[3]
                }
                continue
            }
            let sample = try parseSample(line, number: number)
            guard result.family(of: sample.name) != nil else {
                throw ParseError(line: number, message: "sample \(sample.name) has no TYPE line before it")
            }
            result.samples.append(sample)
        }
        return result
    }

    /// The declared family of a sample name (`x_bucket` belongs to histogram `x`).
    func family(of name: String) -> String? {
        if types[name] != nil { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || types[base] == "summary" { return base }
        }
        return nil
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    static func parseSample(_ line: String, number: Int) throws -> Sample {
        var scalars = Array(line.unicodeScalars)[...]
        var name = ""
        while let c = scalars.first, c != "{", c != " " {
            name.unicodeScalars.append(c)
            scalars = scalars.dropFirst()
        }
        guard isMetricName(name) else { throw ParseError(line: number, message: "bad metric name '\(name)'") }
        var labels: [String: String] = [:]
        if scalars.first == "{" {
            scalars = scalars.dropFirst()
            while scalars.first != "}" {
                var label = ""
                while let c = scalars.first, c != "=" {
                    label.unicodeScalars.append(c)
                    scalars = scalars.dropFirst()
                }
                guard isLabelName(label), scalars.first == "=" else { throw ParseError(line: number, message: "bad label name '\(label)'") }
                scalars = scalars.dropFirst()
                guard scalars.first == "\"" else { throw ParseError(line: number, message: "label value must be quoted") }
                scalars = scalars.dropFirst()
                var value = ""
                while true {
                    guard let c = scalars.first else { throw ParseError(line: number, message: "unterminated label value") }
                    scalars = scalars.dropFirst()
                    if c == "\"" { break }
                    if c == "\\" {
                        guard let escaped = scalars.first else { throw ParseError(line: number, message: "dangling escape") }
                        scalars = scalars.dropFirst()
                        switch escaped {
                        case "\\": value += "\\"
                        case "\"": value += "\""
                        case "n": value += "\n"
                        default: throw ParseError(line: number, message: "bad escape \\\(escaped)")
                        }
                    } else {
                        value.unicodeScalars.append(c)
                    }
                }
                guard labels[label] == nil else { throw ParseError(line: number, message: "label \(label) twice") }
                labels[label] = value
                if scalars.first == "," { scalars = scalars.dropFirst() } else if scalars.first != "}" {
                    throw ParseError(line: number, message: "expected , or } after a label")
                }
            }
            scalars = scalars.dropFirst()
        }
        guard scalars.first == " " else { throw ParseError(line: number, message: "expected a space before the value") }
        let rest = String(String.UnicodeScalarView(scalars.dropFirst())).split(separator: " ")
        guard (1...2).contains(rest.count) else { throw ParseError(line: number, message: "expected a value and an optional timestamp") }
        let text = String(rest[0])
        let value: Double? =
            switch text {
            case "+Inf": .infinity
            case "-Inf": -.infinity
            case "NaN": .nan
            default: Double(text)
            }
        guard let value else { throw ParseError(line: number, message: "bad value '\(text)'") }
        if rest.count == 2, Int64(rest[1]) == nil { throw ParseError(line: number, message: "bad timestamp") }
        return Sample(name: name, labels: labels, value: value)
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first == ":" || isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" }
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
}
