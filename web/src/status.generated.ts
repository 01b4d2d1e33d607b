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
  infrastructure: Infrastructure;
  monitors: Monitors;
  override?: PublishedOverride | null;
  /**
   * The effective status: the override's while one is active.
   */
  platform_status: "operational" | "degraded" | "outage" | "maintenance" | "unknown";
  schema_version?: 1;
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
   * Set when Uptime Kuma is unavailable: the status is the last known, from then.
   */
  held_from?: string | null;
  /**
   * A public group of the Uptime Kuma status page.
   */
  name: string;
  status: PlatformStatus;
  status_changed_at?: string | null;
  uptime_24h: number | null;
  uptime_30d?: number | null;
  uptime_7d?: number | null;
  uptime_90d?: number | null;
}
export interface Infrastructure {
  model: string;
  notes: string;
  regions: string[];
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
