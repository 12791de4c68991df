/// The pinned reStructuredText checklists of the default configuration. When a change to the generator is
/// intended, the failing test leaves the new text in the temp folder; review the diff, then paste it here.
enum Golden {}
