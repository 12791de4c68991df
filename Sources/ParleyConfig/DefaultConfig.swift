/// The default configuration: the Custom ERP <-> Custom PMS dataflow of DESIGN.md's "Default flows"
/// tables. `Examples/parley.yaml` holds the same text (a test keeps them identical).
public enum DefaultConfig {
    public static let yaml: String = #"""
# Parley — the default configuration: the Custom ERP <-> Custom PMS dataflow.
# Every key is described in docs/configuration.md. Values may use ${VAR} or ${VAR:-default}.

state: ${PARLEY_STATE:-parley-state.sqlite}   # SQLite file, relative to this file's folder
pollInterval: 5s

server:
  host: 127.0.0.1
  port: 8080
  apiToken: ${PARLEY_API_TOKEN:-}             # empty: no authentication (allowed on loopback only)

breaker:                                      # abort a pass that would delete/archive more than
  maxDeleteShare: 0.2                         # 20% of a flow's links, once it has more than 20
  minRecords: 20

systems:
  erp:
    title: Custom ERP
    connector: contract
    url: ${PARLEY_ERP_URL:-http://127.0.0.1:8081}
    token: ${PARLEY_ERP_TOKEN:-}
    webhookSecret: ${PARLEY_ERP_WEBHOOK_SECRET:-}
    timeout: 10s
    concurrency: 8
  pms:
    title: Custom PMS
    connector: contract
    url: ${PARLEY_PMS_URL:-http://127.0.0.1:8082}
    token: ${PARLEY_PMS_TOKEN:-}
    webhookSecret: ${PARLEY_PMS_WEBHOOK_SECRET:-}
    timeout: 10s
    concurrency: 8

flows:
  - name: customers
    left: erp.customer
    right: pms.customer
    direction: both
    priority: erp
    deletes: archive
    archive:
      erp: {property: isActive, value: false}
      pms: {property: archived, value: true}
    onboarding: {erp: all, pms: all}
    # A customer created in the ERP from the PMS needs a customer number; Parley writes it back to erp_number.
    defaults:
      erp: {customerNumber: "PMS-{id}"}
    merge:
      - [{erp: organizationNumber, pms: org_no, normalize: [digits-only]}]
      - [{erp: customerNumber, pms: erp_number, normalize: [trim, lowercase]}]
    properties:
      - {erp: name, pms: display_name}
      - {erp: organizationNumber, pms: org_no}
      - {erp: customerNumber, pms: erp_number}
      - {erp: email, pms: contact_email, ignoreCase: true}     # the PMS lower-cases e-mails
      - {erp: phone, pms: contact_phone}
      - {erp: website, pms: homepage}
      - {erp: address.street, pms: street_address}
      - {erp: address.postalCode, pms: postal_code}
      - {erp: address.city, pms: city}
      - {erp: address.countryCode, pms: country, convert: country-alpha2-alpha3}
      - {erp: isActive, pms: archived, convert: negate}

  - name: projects
    left: erp.project
    right: pms.project
    direction: both
    priority: erp
    deletes: archive
    archive:
      erp: {property: isActive, value: false}
      pms: {property: archived, value: true}
    onboarding: {erp: all, pms: all}
    merge:
      - [{erp: projectNumber, pms: code, normalize: [trim]}]
    properties:
      - {erp: projectNumber, pms: code}
      - {erp: name, pms: title}
      - {erp: description, pms: summary}
      - {erp: customerId, pms: customer_id, reference: customers}   # through the customers flow's links
      - {erp: startDate, pms: start_on}
      - {erp: endDate, pms: due_on}
      - erp: status
        pms: state
        convert: {map: {PLANNED: planned, ACTIVE: in_progress, ON_HOLD: paused, COMPLETED: done}}
      - {erp: budget, pms: budget_cents, convert: {scale: 100}}   # cents = budget × 100, rounded
      - {erp: projectManagerEmail, pms: lead_email, ignoreCase: true}

"""#
}
