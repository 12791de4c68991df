// ParleyEngine
