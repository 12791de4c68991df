import ParleyCLI
await ParleyCommand.main()
