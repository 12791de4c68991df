// ParleyDocs: generated dataflow checklists
