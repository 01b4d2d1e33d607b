/*
 * <platform-status src="https://status.example.com/status.json"></platform-status>
 * A framework-free embed for any site: shows the platform status with the guide's wording, refreshes every
 * 60 s, says "Data may be outdated" past stale_after (or updated_at + 30 min), and shows "Status unknown"
 * when status.json cannot be read. Below the status: the override's message, else the newest open incident's
 * title and latest update, else the maintenance in progress. Every text is set with textContent: nothing
 * from the data is markup.
 */
(function () {
  "use strict";
  var WORDING = {
    operational: ["All systems operational", "\u2713", "#2e7d32"],
    degraded: ["Minor degradation", "!", "#a15c00"],
    outage: ["Service outage", "\u2715", "#c62828"],
    maintenance: ["Scheduled maintenance in progress", "\u2699", "#1565c0"],
    unknown: ["Status unknown", "?", "#616161"]
  };
  var FALLBACK_STALE_MS = 30 * 60 * 1000;

  function isStale(doc) {
    var deadline = doc.stale_after ? Date.parse(doc.stale_after) : Date.parse(doc.updated_at) + FALLBACK_STALE_MS;
    return !(Date.now() <= deadline);
  }

  // What operators announce, in one line: the override, else an open incident, else maintenance under way.
  function announced(doc) {
    if (doc.override && doc.override.message) { return doc.override.message; }
    var incident = Array.isArray(doc.incidents) ? doc.incidents[0] : null;
    if (incident && incident.title) {
      var latest = Array.isArray(incident.updates) && incident.updates[0] ? incident.updates[0].message : "";
      return incident.title + (latest ? ": " + latest : "");
    }
    var working = (Array.isArray(doc.maintenances) ? doc.maintenances : []).filter(function (m) {
      return m && m.status === "in_progress";
    })[0];
    return working && working.title ? "Maintenance: " + working.title : "";
  }

  function valid(doc) {
    return doc && typeof doc === "object" && Object.prototype.hasOwnProperty.call(WORDING, doc.platform_status) &&
      typeof doc.updated_at === "string";
  }

  class PlatformStatusElement extends HTMLElement {
    connectedCallback() {
      if (this._timer) { return; }
      var root = this.attachShadow ? this.attachShadow({ mode: "open" }) : this;
      var box = document.createElement("div");
      box.setAttribute("role", "status");
      box.style.cssText = "font:14px/1.4 system-ui,sans-serif;border:2px solid currentColor;border-radius:6px;padding:6px 10px;display:inline-block";
      this._headline = document.createElement("strong");
      this._message = document.createElement("div");
      this._stale = document.createElement("div");
      this._stale.textContent = "\u26a0 Data may be outdated";
      this._stale.style.fontSize = "12px";
      box.appendChild(this._headline);
      box.appendChild(this._message);
      box.appendChild(this._stale);
      root.appendChild(box);
      this._box = box;
      this.refresh();
      var self = this;
      this._timer = setInterval(function () { self.refresh(); }, 60000);
    }

    disconnectedCallback() {
      clearInterval(this._timer);
      this._timer = null;
    }

    show(status, doc, stale) {
      var w = WORDING[status];
      this._box.style.color = w[2];
      this._headline.textContent = w[1] + " " + w[0];
      var note = doc && !stale ? announced(doc) : "";
      this._message.textContent = note;
      this._message.hidden = !note;
      this._stale.hidden = !stale;
      this.setAttribute("data-status", status);
    }

    refresh() {
      var self = this;
      var src = this.getAttribute("src");
      if (!src) { this.show("unknown", null, false); return; }
      fetch(src, { cache: "no-cache" })
        .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
        .then(function (doc) {
          if (!valid(doc)) { throw new Error("invalid status.json"); }
          self.show(doc.platform_status, doc, isStale(doc));
        })
        .catch(function () { self.show("unknown", null, false); });
    }
  }

  if (!customElements.get("platform-status")) {
    customElements.define("platform-status", PlatformStatusElement);
  }
})();
