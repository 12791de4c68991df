// ParleyServer: webhooks, management API, dashboard, metrics
