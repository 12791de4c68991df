// ParleyConnectors
