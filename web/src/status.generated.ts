/* Generated from status.schema.json by scripts/generate-types.mjs: do not edit. */

export type PlatformStatus = "operational" | "degraded" | "outage" | "maintenance" | "unknown";

/**
 * The platform status document, status.json.
 */
export interface StatusDocument {
  backups: Backups;
  components: Component[];
  /**
   * The status decided from the sources, override or not.
   */
  computed_status: "operational" | "degraded" | "outage" | "maintenance" | "unknown";
  /**
   * Set when Uptime Kuma is unavailable: the status is the last known, from then.
   */
  held_from?: string | null;
  /**
   * Open incidents, newest first, with their timelines.
   */
  incidents?: PublicIncident[];
  infrastructure: Infrastructure;
  /**
   * Scheduled maintenance: in progress first, then upcoming by start.
   */
  maintenances?: PublicMaintenance[];
  monitors: Monitors;
  override?: PublishedOverride | null;
  /**
   * The effective status: the override's while one is active.
   */
  platform_status: "operational" | "degraded" | "outage" | "maintenance" | "unknown";
  schema_version?: 2;
  sources: Sources;
  /**
   * After this time a reader must treat the document as stale.
   */
  stale_after: string;
  /**
   * When the computed status last changed.
   */
  status_changed_at?: string | null;
  /**
   * When this run checked the sources (last checked, not changed).
   */
  updated_at: string;
  uptime: Uptime;
}
export interface Backups {
  /**
   * The worst tenant's status; unknown without data.
   */
  last_backup_status: "success" | "warning" | "failed" | "unknown";
  /**
   * Every tenant has a good backup at least this recent (the oldest of their newest).
   */
  last_successful_backup: string | null;
  policy: string;
  tenants: BackupTenantCounts;
}
export interface BackupTenantCounts {
  failed: number;
  success: number;
  total: number;
  warning: number;
}
export interface Component {
  /**
   * The status the automatic checks give this component, whatever is announced.
   */
  computed_status?: PlatformStatus | null;
  /**
   * Set when Uptime Kuma is unavailable: the status is the last known, from then.
   */
  held_from?: string | null;
  /**
   * A public group of the Uptime Kuma status page.
   */
  name: string;
  /**
   * What set `status`; null when it is the computed one.
   */
  set_by?: SetBy | null;
  /**
   * The effective status: an incident's, a maintenance's or an override's.
   */
  status: "operational" | "degraded" | "outage" | "maintenance" | "unknown";
  status_changed_at?: string | null;
  uptime_24h: number | null;
  uptime_30d?: number | null;
  uptime_7d?: number | null;
  uptime_90d?: number | null;
}
/**
 * What set a component's status, when it is not the automatic checks' own.
 */
export interface SetBy {
  /**
   * The incident's or maintenance's id; null for the override.
   */
  id: string | null;
  kind: "incident" | "maintenance" | "override";
}
export interface PublicIncident {
  /**
   * The affected components by name; empty: the whole platform.
   */
  components: string[];
  id: string;
  /**
   * What it does to the status of the components it affects; none: a notice only.
   */
  impact: "none" | "degraded" | "outage";
  resolved_at?: string | null;
  /**
   * operator: announced by the team; monitoring: pinned on the Uptime Kuma status page.
   */
  source: "operator" | "monitoring";
  stage: "investigating" | "identified" | "monitoring" | "resolved";
  started_at: string;
  /**
   * Plain text, at most 120 characters.
   */
  title: string;
  updated_at: string;
  /**
   * The timeline, newest first.
   */
  updates: PublicUpdate[];
}
/**
 * One update of an incident's or a maintenance's timeline. Plain text: whatever shows it must escape it.
 */
export interface PublicUpdate {
  at: string;
  message: string;
  stage:
    | "investigating"
    | "identified"
    | "monitoring"
    | "resolved"
    | "scheduled"
    | "in_progress"
    | "completed"
    | "cancelled";
}
export interface Infrastructure {
  model: string;
  notes: string;
  regions: string[];
}
export interface PublicMaintenance {
  /**
   * The affected components by name; empty: the whole platform.
   */
  components: string[];
  ends_at: string | null;
  id: string;
  message: string;
  source: "operator" | "monitoring";
  /**
   * Null when Uptime Kuma does not say.
   */
  starts_at: string | null;
  /**
   * status.json lists scheduled and in_progress ones; history/incidents.json the others too.
   */
  status: "scheduled" | "in_progress" | "completed" | "cancelled";
  title: string;
  /**
   * Newest first.
   */
  updates: PublicUpdate[];
}
/**
 * Counts of the monitors that decide the status (paused monitors are not counted).
 */
export interface Monitors {
  /**
   * Set while the status is held (Uptime Kuma unreachable, or just restarted): these are the counts of the last run that reached it, from this time; absent when they are this run's.
   */
  as_of?: string | null;
  down: number;
  /**
   * Changing state again and again: counted as degraded.
   */
  flapping?: number;
  maintenance: number;
  pending: number;
  total: number;
  up: number;
}
/**
 * A status set by an operator during an incident. It ends by itself at `until`.
 */
export interface PublishedOverride {
  /**
   * Plain text from the operator; whatever shows it must escape it.
   */
  message: string;
  since: string;
  status: PlatformStatus;
  until: string;
}
export interface Sources {
  backups: Source;
  uptime_kuma: Source;
}
export interface Source {
  observed_at: string;
  status: "ok" | "unavailable" | "not_configured";
}
export interface Uptime {
  /**
   * How the windows count, as the Uptime Kuma that reports them: beats (2.x: up / (up + down) beats) or time (1.23: each beat weighs the seconds since the one before, maintenance counted as up).
   */
  formula?: ("beats" | "time") | null;
  /**
   * Mean of the counted monitors' 24 h uptime, percent; null when unknown.
   */
  last_24h: number | null;
  /**
   * 30 UTC days up to now, percent.
   */
  last_30d?: number | null;
  /**
   * 7 UTC days up to now, percent; null without history.
   */
  last_7d: number | null;
  /**
   * 90 UTC days up to now, percent.
   */
  last_90d?: number | null;
}
