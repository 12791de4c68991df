import ArgumentParser

public struct ParleyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "Two-way master-data sync between a custom ERP and a custom PMS.",
        subcommands: [
            DemoCommand.self, SyncCommand.self, RunCommand.self, StatusCommand.self, RecordCommand.self, LinksCommand.self, ConflictsCommand.self,
            InitCommand.self, ValidateCommand.self, VerifyCommand.self, MigrateCommand.self, StoreCommand.self, BenchCommand.self, ReferenceCommand.self, DocsCommand.self,
        ]
    )
    public init() {}
}
