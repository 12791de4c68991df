import Yams

/// Parses YAML text into `ConfigNode`s with line numbers, expanding environment variables in scalar values.
/// Syntax errors become issues with their line; the offending text is never quoted (it may hold a secret).
enum YAMLComposer {
    static func compose(_ yaml: String, environment: [String: String], issues: inout IssueList) -> ConfigNode? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            let (line, message) = describe(error)
            issues.add(path: "", line: line, "YAML syntax error: \(message)")
            return nil
        } catch {
            issues.add(path: "", line: nil, "YAML syntax error")
            return nil
        }
        guard let root else {
            issues.add(path: "", line: nil, "the file is empty")
            return nil
        }
        var converter = Converter(environment: environment)
        let node = converter.convert(root, path: "")
        for issue in converter.issues.issues { issues.add(path: issue.path, line: issue.line, issue.message) }
        return node
    }

    private static func describe(_ error: YamlError) -> (line: Int?, message: String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let around = context.map { " (\($0.text) on line \($0.mark.line))" } ?? ""
            return (mark.line, problem + around)
        case .reader(let problem, let offset, _, let yaml):
            // The reader reports a byte offset; name the line it falls on.
            let line = offset.map { offset in 1 + yaml.utf8.prefix(max(0, offset)).filter { $0 == UInt8(ascii: "\n") }.count }
            return (line, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return (context.mark.line > 0 ? context.mark.line : nil, "duplicate key \(keys) in one mapping")
        default: return (nil, "the text could not be read as YAML")
        }
    }

    private struct Converter {
        let environment: [String: String]
        var issues = IssueList()
        /// Where each list and mapping met so far starts. Yams resolves an alias (`*name`) to the very node
        /// its anchor names, start position included, so a position met twice is an alias: it is reported and
        /// not descended into (nested aliases would otherwise expand exponentially, the "billion laughs").
        var collections: Set<[Int]> = []

        mutating func convert(_ node: Node, path: String) -> ConfigNode {
            let line = node.mark?.line
            if node.scalar == nil, let mark = node.mark, !collections.insert([mark.line, mark.column]).inserted {
                issues.add(path: path, line: line, "YAML aliases are not supported here")
                return ConfigNode(content: .invalid, line: line)
            }
            switch node {
            case .scalar(let scalar):
                let plain = scalar.style == .plain || scalar.style == .any
                if plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return ConfigNode(content: .null, line: line) }
                let (text, problems) = EnvExpansion.expand(scalar.string, environment: environment)
                for problem in problems { issues.add(path: path, line: line, problem.message) }
                return ConfigNode(content: problems.isEmpty ? .scalar(text, plain: plain) : .invalid, line: line)
            case .mapping(let mapping):
                var entries: [ConfigNode.Entry] = []
                for (key, value) in mapping {
                    guard case .scalar(let keyScalar) = key else {
                        issues.add(path: path, line: key.mark?.line, "keys must be plain text, found a \(key.mapping == nil ? "list" : "mapping")")
                        continue
                    }
                    let childPath = ConfigPath.key(keyScalar.string, in: path)
                    entries.append(.init(key: keyScalar.string, keyLine: key.mark?.line, value: convert(value, path: childPath)))
                }
                return ConfigNode(content: .mapping(entries), line: line)
            case .sequence(let sequence):
                let items = sequence.enumerated().map { convert($0.element, path: ConfigPath.index($0.offset, in: path)) }
                return ConfigNode(content: .sequence(items), line: line)
            case .alias:
                issues.add(path: path, line: line, "YAML aliases are not supported here")
                return ConfigNode(content: .null, line: line)
            }
        }
    }
}

/// Building YAML paths for messages: `systems.erp.url`, `flows[1].properties[3]`.
enum ConfigPath {
    static func key(_ key: String, in path: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    static func index(_ index: Int, in path: String) -> String { "\(path)[\(index)]" }
}
