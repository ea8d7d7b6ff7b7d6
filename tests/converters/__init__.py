"""The converter: dumps and their dialects, the stages, the CLI, its report and the editor's workflow."""
