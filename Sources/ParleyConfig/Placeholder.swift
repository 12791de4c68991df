// ParleyConfig
