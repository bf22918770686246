// The /ui page of `dra server`: every node's devices laid out by NUMA node and PCIe root,
// coloured by state, from list + watch of the API (the same requests kubectl makes).
//
// Authentication: a bearer token from the URL fragment (`/ui#token=...`; fragments are never
// sent to a server), kept in this tab's sessionStorage and removed from the address bar; or one
// pasted into the form shown on 401. Without a token requests go out without Authorization
// (what `dra server --insecure-http` serves).
//
// What tests read: <body data-synced="true"> once every resource has been listed,
// data-renders (renders so far) and data-events (watch events applied); every device is an
// element with data-device="driver/pool/name", data-node, data-state (free, allocated, shared,
// tainted, blocked), data-claim and data-pods (space-separated namespace/name), data-parent
// (a MIG partition's GPU: the data-device of a device, or the data-gpu of the box of a GPU in
// MIG mode that is no device itself) and data-swatch="x,y,w,h" (its state-coloured square in
// page pixels). Pending pods and claims are elements with data-pending-pod / data-pending-claim and
// data-message. Object names only ever reach the page as text (textContent, attributes).
'use strict';

(function () {
  const TOKEN_KEY = 'dra-ui-token';
  const RESOURCES = [
    {name: 'resourceslices', path: '/apis/resource.k8s.io/v1/resourceslices'},
    {name: 'resourceclaims', path: '/apis/resource.k8s.io/v1/resourceclaims'},
    {name: 'pods', path: '/api/v1/pods'},
    {name: 'nodes', path: '/api/v1/nodes', slow: true},
    {name: 'deviceclasses', path: '/apis/resource.k8s.io/v1/deviceclasses', slow: true},
    {name: 'devicetaintrules', path: '/apis/resource.k8s.io/v1beta2/devicetaintrules',
     optional: true, slow: true},
  ];
  const STATES = ['free', 'allocated', 'shared', 'tainted', 'blocked'];

  // ---- authentication ---------------------------------------------------------------------

  function takeTokenFromFragment() {
    const hash = window.location.hash.replace(/^#/, '');
    if (hash === '') return;
    const params = new URLSearchParams(hash);
    const token = params.get('token');
    if (token === null) return;
    try { sessionStorage.setItem(TOKEN_KEY, token); } catch (e) { memoryToken = token; }
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', window.location.pathname + window.location.search +
                                       (rest === '' ? '' : '#' + rest));
  }
  let memoryToken = null;
  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || memoryToken; } catch (e) { return memoryToken; }
  }
  function headers() {
    const h = {'Accept': 'application/json'};
    const t = token();
    if (t) h['Authorization'] = 'Bearer ' + t;
    return h;
  }

  class HttpError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  // ---- informers: list, then watch from the list's resourceVersion; 410 lists again --------
  //
  // Browsers open at most 6 HTTP/1.1 connections to one server, and every open watch holds one.
  // So resourceslices, resourceclaims and pods are watched continuously (one connection each),
  // while nodes, deviceclasses and devicetaintrules take turns on a fourth connection, each
  // watched for a few seconds from where it left off (no event is missed; theirs arrive up to
  // that much later). Two connections stay free for other requests, and only one tab per
  // browser watches at a time (Web Locks); other tabs wait for it to close.

  const store = {};
  for (const r of RESOURCES) store[r.name] = new Map();
  const synced = new Set();
  const errors = new Map();
  const versions = new Map();  // resource name -> resourceVersion to watch from
  let events = 0;
  let generation = 0;  // bumped to stop the informers of an older token
  let unauthorized = false;
  let waitingForOtherTab = false;

  function objectKey(o) {
    const m = o.metadata || {};
    return (m.namespace ? m.namespace + '/' : '') + m.name;
  }
  function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

  async function list(res, signal) {
    const response = await fetch(res.path, {headers: headers(), signal, cache: 'no-store'});
    if (response.status === 404 && res.optional) {
      // Not served by this API server: nothing to show.
      store[res.name] = new Map();
      versions.set(res.name, null);
      synced.add(res.name);
      return;
    }
    if (!response.ok) {
      throw new HttpError(response.status, res.name + ': ' + response.status + ' ' +
                          (await response.text()).slice(0, 200));
    }
    const listed = await response.json();
    const items = new Map();
    for (const o of listed.items || []) items.set(objectKey(o), o);
    store[res.name] = items;
    versions.set(res.name, listed.metadata.resourceVersion);
    synced.add(res.name);
    errors.delete(res.name);
  }

  // One watch request from the resource's version, for at most `seconds`; resolves 'expired'
  // (410: list again) or 'ended' (watch again).
  async function watch(res, seconds, signal) {
    const url = res.path + '?watch=1&allowWatchBookmarks=true&timeoutSeconds=' + seconds +
                '&resourceVersion=' + encodeURIComponent(versions.get(res.name));
    const response = await fetch(url, {headers: headers(), signal, cache: 'no-store'});
    if (response.status === 410) return 'expired';
    if (!response.ok) throw new HttpError(response.status, res.name + ': watch ' + response.status);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return 'ended';
      buffer += decoder.decode(value, {stream: true});
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line === '') continue;  // keep-alive
        const event = JSON.parse(line);
        const o = event.object;
        if (event.type === 'ERROR') {
          if (o && o.code === 410) return 'expired';
          throw new HttpError(o && o.code || 500, res.name + ': ' + (o && o.message));
        }
        if (o && o.metadata && o.metadata.resourceVersion) {
          versions.set(res.name, o.metadata.resourceVersion);
        }
        if (event.type === 'BOOKMARK') continue;
        if (event.type === 'DELETED') store[res.name].delete(objectKey(o));
        else store[res.name].set(objectKey(o), o);
        events++;
        changed();
      }
    }
  }

  // Lists (when needed) and watches each of `resources` in turn, `seconds` per watch, until
  // the generation changes. With one resource and a long watch: a continuous informer.
  async function inform(resources, seconds, gen, signal) {
    let backoff = 250;
    while (gen === generation) {
      try {
        for (const res of resources) {
          if (versions.has(res.name)) continue;
          await list(res, signal);
          if (gen !== generation) return;
          changed();
        }
        for (const res of resources) {
          if (gen !== generation) return;
          if (versions.get(res.name) === null) continue;  // not served
          const outcome = await watch(res, seconds, signal);
          if (outcome === 'expired') versions.delete(res.name);
        }
        backoff = 250;
      } catch (e) {
        if (gen !== generation || (e && e.name === 'AbortError')) return;
        if (e instanceof HttpError && e.status === 401) {
          unauthorized = true;
          changed();
          return;
        }
        for (const res of resources) if (!synced.has(res.name)) versions.delete(res.name);
        errors.set(resources.map((r) => r.name).join(','), String(e && e.message || e));
        changed();
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
        // Watch again from where the last one stopped; list again only after a 410.
        errors.delete(resources.map((r) => r.name).join(','));
      }
    }
  }

  let abort = null;
  function start() {
    generation++;
    if (abort) abort.abort();
    abort = new AbortController();
    unauthorized = false;
    synced.clear();
    errors.clear();
    versions.clear();
    const gen = generation;
    for (const r of RESOURCES.filter((r) => !r.slow)) inform([r], 600, gen, abort.signal);
    inform(RESOURCES.filter((r) => r.slow), 3, gen, abort.signal);
    changed();
  }

  // Starts once no other tab of this browser watches this server.
  function startAlone() {
    if (!navigator.locks) {
      start();
      return;
    }
    const name = 'dra-ui ' + window.location.host;
    const holdForever = () => new Promise(() => {});
    navigator.locks.request(name, {ifAvailable: true}, async (lock) => {
      if (lock !== null) {
        start();
        return holdForever();
      }
      waitingForOtherTab = true;
      changed();
      await navigator.locks.request(name, () => {
        waitingForOtherTab = false;
        start();
        return holdForever();
      });
    });
  }

  // ---- the model: devices with their state ------------------------------------------------

  function attrValue(a) {
    if (a === null || typeof a !== 'object') return undefined;
    for (const k of ['string', 'int', 'bool', 'version']) if (k in a) return a[k];
    return undefined;
  }

  const SUFFIX = {
    n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  };
  function quantity(q) {
    if (q && typeof q === 'object') q = q.value;
    const m = /^([+-]?[0-9.]+)(?:[eE]([+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(
        String(q === undefined ? '' : q).trim());
    if (!m) return NaN;
    const n = parseFloat(m[1]);
    if (m[2] !== undefined) return n * Math.pow(10, parseInt(m[2], 10));
    return n * SUFFIX[m[3] || ''];
  }

  function podKey(ns, name) { return ns + '/' + name; }

  function buildModel() {
    // The newest generation of every pool only (older slices are being replaced).
    const newest = new Map();
    for (const s of store.resourceslices.values()) {
      const spec = s.spec || {};
      const pool = spec.driver + '/' + (spec.pool && spec.pool.name);
      const g = (spec.pool && spec.pool.generation) || 0;
      if (!newest.has(pool) || newest.get(pool) < g) newest.set(pool, g);
    }
    const devices = new Map();
    const counterSets = new Map();  // driver/pool/set -> {counter: capacity}
    for (const s of store.resourceslices.values()) {
      const spec = s.spec || {};
      const poolName = (spec.pool && spec.pool.name) || '';
      const poolKey = spec.driver + '/' + poolName;
      if (((spec.pool && spec.pool.generation) || 0) < newest.get(poolKey)) continue;
      for (const cs of spec.sharedCounters || []) {
        const counters = {};
        for (const [c, v] of Object.entries(cs.counters || {})) counters[c] = quantity(v);
        counterSets.set(poolKey + '/' + cs.name, counters);
      }
      const node = spec.nodeName || (spec.allNodes ? '(all nodes)' : '(nodes by selector)');
      for (const d of spec.devices || []) {
        const attrs = {};
        for (const [k, v] of Object.entries(d.attributes || {})) {
          attrs[k.includes('/') ? k : spec.driver + '/' + k] = attrValue(v);
        }
        const local = (name) => attrs[spec.driver + '/' + name];
        let numa = attrs['resource.kubernetes.io/numaNode'];
        if (numa === undefined) {
          for (const [k, v] of Object.entries(attrs)) {
            if (/\/numaNode(ID)?$/.test(k) && v !== undefined) { numa = v; break; }
          }
        }
        const key = poolKey + '/' + d.name;
        devices.set(key, {
          key, node, driver: spec.driver, pool: poolName, name: d.name, attrs,
          numa: numa === undefined ? null : String(numa),
          pcieRoot: attrs['resource.kubernetes.io/pcieRoot'] || null,
          type: local('type') || null,
          uuid: local('uuid') || null,
          parentUUID: local('parentUUID') || null,
          productName: local('productName') || null,
          memory: d.capacity && d.capacity.memory ? d.capacity.memory.value : null,
          consumes: d.consumesCounters || [],
          multi: d.allowMultipleAllocations === true,
          sliceTaints: (d.taints || []).filter((t) => t.effect === 'NoSchedule' ||
                                                      t.effect === 'NoExecute'),
          ruleTaints: [],
          allocations: [],
          parent: null,
          children: [],
        });
      }
    }
    // MIG partitions: type mig with the parent's UUID, or a consumer of the counter set
    // "<gpu>-counter-set" of another device named <gpu> in the same pool.
    const byUuid = new Map();
    for (const d of devices.values()) if (d.uuid) byUuid.set(d.driver + '/' + d.pool + '/' + d.uuid, d);
    for (const d of devices.values()) {
      let parent = null;
      if (d.type === 'mig' && d.parentUUID) {
        parent = byUuid.get(d.driver + '/' + d.pool + '/' + d.parentUUID) || null;
      }
      if (parent === null) {
        for (const c of d.consumes) {
          const m = /^(.*)-counter-set$/.exec(c.counterSet || '');
          if (m && m[1] !== d.name) {
            parent = devices.get(d.driver + '/' + d.pool + '/' + m[1]) || null;
            if (parent) break;
          }
        }
      }
      if (parent && parent !== d) d.parent = parent;
    }
    // Partitions of a GPU in MIG mode that is not itself a device: drawn inside a box for that
    // GPU (not a device: nothing to allocate), named after the parent's index.
    const physical = new Map();
    for (const d of devices.values()) {
      if (d.parent || d.type !== 'mig' || !d.parentUUID) continue;
      const index = d.attrs[d.driver + '/parentIndex'];
      const name = index !== undefined ? 'gpu-' + index : d.parentUUID;
      const key = d.driver + '/' + d.pool + '/' + name;
      if (!physical.has(key)) {
        physical.set(key, {
          key, node: d.node, driver: d.driver, pool: d.pool, name, physical: true,
          uuid: d.parentUUID, numa: d.numa, pcieRoot: d.pcieRoot, productName: d.productName,
          memory: null, type: 'gpu', attrs: {}, parent: null, children: [], allocations: [],
          claims: [], pods: [], sliceTaints: [], ruleTaints: [],
        });
      }
      d.parent = physical.get(key);
    }
    for (const d of devices.values()) {
      if (d.parent && d.parent.parent) d.parent = null;  // one level only
      if (d.parent) d.parent.children.push(d);
    }
    // DeviceTaintRules (effects that keep pods away).
    for (const rule of store.devicetaintrules.values()) {
      const spec = rule.spec || {};
      const taint = spec.taint || {};
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      const sel = spec.deviceSelector || {};
      for (const d of devices.values()) {
        if (sel.driver && sel.driver !== d.driver) continue;
        if (sel.pool && sel.pool !== d.pool) continue;
        if (sel.device && sel.device !== d.name) continue;
        d.ruleTaints.push(Object.assign({rule: rule.metadata.name}, taint));
      }
    }
    // Allocations.
    const claims = [];
    for (const c of store.resourceclaims.values()) {
      const ns = c.metadata.namespace;
      const reserved = ((c.status && c.status.reservedFor) || []).map((r) =>
          (r.resource === 'pods' ? '' : r.resource + ':') + podKey(ns, r.name));
      const claim = {key: podKey(ns, c.metadata.name), obj: c, reserved};
      claims.push(claim);
      const alloc = c.status && c.status.allocation;
      if (!alloc || !alloc.devices) continue;
      for (const r of alloc.devices.results || []) {
        const d = devices.get(r.driver + '/' + r.pool + '/' + r.device);
        if (d) d.allocations.push({claim: claim.key, request: r.request, pods: reserved,
                                   admin: r.adminAccess === true});
      }
    }
    // Counters in use per pool and set, by allocated devices.
    const used = new Map();
    for (const d of devices.values()) {
      if (d.allocations.length === 0) continue;
      for (const c of d.consumes) {
        const k = d.driver + '/' + d.pool + '/' + c.counterSet;
        const u = used.get(k) || {};
        for (const [name, v] of Object.entries(c.counters || {})) u[name] = (u[name] || 0) + quantity(v);
        used.set(k, u);
      }
    }
    for (const d of devices.values()) {
      const claimsOf = new Set(d.allocations.filter((a) => !a.admin).map((a) => a.claim));
      const pods = new Set();
      for (const a of d.allocations) for (const p of a.pods) pods.add(p);
      d.claims = [...new Set(d.allocations.map((a) => a.claim))].sort();
      d.pods = [...pods].sort();
      const tainted = d.sliceTaints.length > 0 || d.ruleTaints.length > 0;
      const sharedClaim = d.allocations.some((a) => a.pods.length > 1);
      if (tainted) d.state = 'tainted';
      else if (claimsOf.size > 1 || sharedClaim) d.state = 'shared';
      else if (d.allocations.length > 0) d.state = 'allocated';
      else d.state = blocked(d, used, counterSets) ? 'blocked' : 'free';
    }
    return {devices, physical, claims};
  }

  // Whether an unallocated device cannot be allocated because allocated devices use the
  // counters it needs (MIG partitions and their GPU), or, without counters, because its GPU or
  // one of its partitions is allocated.
  function blocked(d, used, counterSets) {
    let known = false;
    for (const c of d.consumes) {
      const k = d.driver + '/' + d.pool + '/' + c.counterSet;
      const capacity = counterSets.get(k);
      if (!capacity) continue;
      known = true;
      const u = used.get(k) || {};
      for (const [name, v] of Object.entries(c.counters || {})) {
        const cap = capacity[name];
        if (cap === undefined || isNaN(cap)) continue;
        if ((u[name] || 0) + quantity(v) > cap * (1 + 1e-9)) return true;
      }
    }
    if (known) return false;
    if (d.parent && d.parent.allocations.length > 0) return true;
    return d.children.some((c) => c.allocations.length > 0);
  }

  // ---- rendering ---------------------------------------------------------------------------

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  const byName = (a, b) => String(a).localeCompare(String(b), 'en', {numeric: true});

  function describe(d) {
    if (d.productName) {
      return d.productName.replace(/^NVIDIA /, '') + (d.memory ? ' · ' + d.memory : '');
    }
    const ifName = d.attrs[d.driver + '/ifName'];
    if (ifName !== undefined) {
      return 'NIC ' + ifName + (d.attrs[d.driver + '/rdma'] === true ? ' · RDMA' : '');
    }
    const cpus = d.attrs[d.driver + '/numCPUs'];
    if (cpus !== undefined) return cpus + ' CPUs';
    return d.driver + (d.type ? ' · ' + d.type : '');
  }

  function holderText(d) {
    const parts = [];
    for (const a of d.allocations) {
      let t = 'claim ' + a.claim + (a.admin ? ' (admin)' : '');
      t += a.pods.length ? ' → ' + a.pods.join(', ') : ' (not reserved)';
      parts.push(t);
    }
    return parts.join('; ');
  }

  function taintText(d) {
    return d.sliceTaints.map((t) => t.key + (t.value ? '=' + t.value : '') + ':' + t.effect)
        .concat(d.ruleTaints.map((t) => t.key + (t.value ? '=' + t.value : '') + ':' + t.effect +
                                        ' (rule ' + t.rule + ')'))
        .join(', ');
  }

  function setData(e, d) {
    e.dataset.device = d.key;
    e.dataset.node = d.node;
    e.dataset.driver = d.driver;
    e.dataset.pool = d.pool;
    e.dataset.name = d.name;
    e.dataset.state = d.state;
    e.dataset.claim = d.claims.join(' ');
    e.dataset.pods = d.pods.join(' ');
    if (d.type) e.dataset.type = d.type;
    if (d.numa !== null) e.dataset.numa = d.numa;
    if (d.pcieRoot) e.dataset.pcieRoot = d.pcieRoot;
    if (d.parent) e.dataset.parent = d.parent.key;
    let title = d.name + ' (' + d.key + '): ' + d.state;
    const holder = holderText(d);
    if (holder) title += '\n' + holder;
    const taints = taintText(d);
    if (taints) title += '\ntaints: ' + taints;
    e.title = title;
  }

  function renderDevice(d) {
    const e = el('div', 'dev' + (d.type === 'gpu' || d.children.length ? ' gpu' : ''));
    const head = el('div', 'head');
    if (d.physical) {
      // A GPU in MIG mode that is not a device itself.
      e.classList.add('physical');
      e.dataset.gpu = d.key;
      e.dataset.uuid = d.uuid;
      e.title = d.name + ' (' + d.uuid + '): MIG mode, only its partitions can be allocated';
    } else {
      setData(e, d);
      head.appendChild(el('span', 'sw st-' + d.state));
    }
    head.appendChild(el('span', 'name', d.name));
    e.appendChild(head);
    e.appendChild(el('div', 'kind', describe(d) + (d.physical ? ' · MIG mode' : '')));
    const holder = holderText(d);
    if (holder) e.appendChild(el('div', 'holder', holder));
    const taints = taintText(d);
    if (taints) e.appendChild(el('div', 'taint', 'tainted: ' + taints));
    if (d.children.length) {
      const migs = el('div', 'migs');
      const children = d.children.slice().sort((a, b) => byName(a.name, b.name));
      for (const c of children) {
        const m = el('div', 'dev mig');
        setData(m, c);
        migs.appendChild(m);
      }
      e.appendChild(migs);
      // Partitions in use, and taints other than the GPU's own (which its partitions share).
      const parentTaints = taintText(d);
      for (const c of children) {
        const taints = taintText(c);
        const ownTaints = taints !== '' && taints !== parentTaints ? 'tainted: ' + taints : '';
        if (c.allocations.length === 0 && ownTaints === '') continue;
        const line = el('div', 'miguse');
        line.appendChild(el('span', 'name', c.name.replace(d.name + '-', '') + ': '));
        line.appendChild(document.createTextNode(
            [holderText(c), ownTaints].filter((x) => x).join('; ')));
        e.appendChild(line);
      }
    }
    return e;
  }

  function renderNode(name, devs, nodeObj) {
    const section = el('section', 'node');
    section.dataset.node = name;
    const h = el('h2', null, name);
    const counts = {};
    const real = devs.filter((d) => !d.physical);
    for (const d of real) counts[d.state] = (counts[d.state] || 0) + 1;
    let meta = real.length + ' devices';
    for (const s of STATES) if (counts[s]) meta += ' · ' + counts[s] + ' ' + s;
    if (nodeObj && nodeObj.spec && nodeObj.spec.unschedulable) meta += ' · cordoned';
    h.appendChild(el('span', 'meta', meta));
    section.appendChild(h);
    if (real.length === 0) {
      section.appendChild(el('div', 'empty', 'no devices published'));
      return section;
    }
    // NUMA node -> PCIe root -> devices (MIG partitions inside their GPU).
    const numas = new Map();
    for (const d of devs) {
      if (d.parent) continue;
      const n = d.numa === null ? '?' : d.numa;
      if (!numas.has(n)) numas.set(n, new Map());
      const roots = numas.get(n);
      const r = d.pcieRoot || '';
      if (!roots.has(r)) roots.set(r, []);
      roots.get(r).push(d);
    }
    for (const n of [...numas.keys()].sort(byName)) {
      const row = el('div', 'numa');
      row.dataset.numa = n;
      row.appendChild(el('div', 'label', n === '?' ? 'NUMA ?' : 'NUMA ' + n));
      const roots = el('div', 'roots');
      const rootMap = numas.get(n);
      const rootNames = [...rootMap.keys()].sort((a, b) => (a === '') - (b === '') || byName(a, b));
      for (const r of rootNames) {
        const box = el('div', 'root');
        box.dataset.pcieRoot = r;
        box.appendChild(el('div', 'label', r === '' ? 'no PCIe root' : 'PCIe ' + r));
        const list = el('div', 'devs');
        const ds = rootMap.get(r).sort((a, b) => byName(a.driver, b.driver) || byName(a.name, b.name));
        for (const d of ds) list.appendChild(renderDevice(d));
        box.appendChild(list);
        roots.appendChild(box);
      }
      row.appendChild(roots);
      section.appendChild(row);
    }
    return section;
  }

  function podClaims(p) {
    const names = [];
    const statuses = new Map();
    for (const s of (p.status && p.status.resourceClaimStatuses) || []) {
      statuses.set(s.name, s.resourceClaimName);
    }
    for (const rc of (p.spec && p.spec.resourceClaims) || []) {
      const n = rc.resourceClaimName || statuses.get(rc.name);
      if (n) names.push(podKey(p.metadata.namespace, n));
      else if (rc.resourceClaimTemplateName) names.push('(from template ' + rc.resourceClaimTemplateName + ')');
    }
    return names;
  }

  function schedulingMessage(p) {
    for (const c of (p.status && p.status.conditions) || []) {
      if (c.type === 'PodScheduled' && c.status === 'False') {
        return (c.reason ? c.reason + ': ' : '') + (c.message || '');
      }
    }
    return '';
  }

  function renderPending(model) {
    const out = [];
    const pendingPods = [];
    for (const p of store.pods.values()) {
      const phase = p.status && p.status.phase;
      if (p.spec && p.spec.nodeName) continue;
      if (phase === 'Succeeded' || phase === 'Failed' || p.metadata.deletionTimestamp) continue;
      pendingPods.push(p);
    }
    pendingPods.sort((a, b) => byName(objectKey(a), objectKey(b)));
    const podsOfClaim = new Map();
    for (const p of store.pods.values()) {
      for (const c of podClaims(p)) {
        if (!podsOfClaim.has(c)) podsOfClaim.set(c, []);
        podsOfClaim.get(c).push(p);
      }
    }
    for (const p of pendingPods) {
      const li = el('li', 'pod');
      const key = objectKey(p);
      const message = schedulingMessage(p) || 'waiting for the scheduler';
      li.dataset.pendingPod = key;
      li.dataset.message = message;
      const claims = podClaims(p);
      li.appendChild(el('div', 'what', 'pod ' + key + (claims.length ? '  (claims: ' + claims.join(', ') + ')' : '')));
      li.appendChild(el('div', 'why', message));
      out.push(li);
    }
    const classes = store.deviceclasses;
    for (const c of model.claims.slice().sort((a, b) => byName(a.key, b.key))) {
      if (c.obj.status && c.obj.status.allocation) continue;
      const users = (podsOfClaim.get(c.key) || []).map(objectKey).sort(byName);
      const reasons = [];
      for (const r of (c.obj.spec && c.obj.spec.devices && c.obj.spec.devices.requests) || []) {
        const cls = r.exactly ? [r.exactly.deviceClassName]
                              : (r.firstAvailable || []).map((s) => s.deviceClassName);
        for (const name of cls) {
          if (name && !classes.has(name)) reasons.push('DeviceClass "' + name + '" does not exist');
        }
      }
      for (const u of users) {
        const p = store.pods.get(u);
        const m = p && schedulingMessage(p);
        if (m) reasons.push('pod ' + u + ': ' + m);
      }
      if (users.length === 0) reasons.push('no pod uses it yet (claims are allocated when a pod that uses them is scheduled)');
      const message = reasons.join('\n') || 'waiting for the scheduler';
      const li = el('li', 'claim');
      li.dataset.pendingClaim = c.key;
      li.dataset.pods = users.join(' ');
      li.dataset.message = message;
      li.appendChild(el('div', 'what', 'claim ' + c.key + ' (unallocated)' + (users.length ? '  used by ' + users.join(', ') : '')));
      li.appendChild(el('div', 'why', message));
      out.push(li);
    }
    if (out.length === 0) out.push(el('li', 'none', 'no pending pods or claims'));
    return out;
  }

  let renders = 0;
  function render() {
    const status = document.getElementById('status');
    const auth = document.getElementById('auth');
    auth.hidden = !unauthorized;
    if (waitingForOtherTab) {
      status.dataset.connection = 'waiting';
      status.textContent = 'This page is open in another tab of this browser; it starts when ' +
                           'that tab closes.';
    } else if (unauthorized) {
      status.dataset.connection = 'unauthorized';
      status.textContent = '401 Unauthorized: the API server needs a bearer token.';
    } else if (errors.size) {
      status.dataset.connection = 'error';
      status.textContent = 'reconnecting: ' + [...errors.values()].join('; ');
    } else if (synced.size < RESOURCES.length) {
      status.dataset.connection = 'connecting';
      status.textContent = 'listing…';
    } else {
      status.dataset.connection = 'live';
      status.textContent = 'live (list + watch)';
    }
    const model = buildModel();
    const byNode = new Map();
    for (const n of store.nodes.values()) byNode.set(n.metadata.name, []);
    for (const d of [...model.devices.values(), ...model.physical.values()]) {
      if (!byNode.has(d.node)) byNode.set(d.node, []);
      byNode.get(d.node).push(d);
    }
    const nodes = document.getElementById('nodes');
    const fragment = document.createDocumentFragment();
    for (const name of [...byNode.keys()].sort(byName)) {
      fragment.appendChild(renderNode(name, byNode.get(name), store.nodes.get(name)));
    }
    nodes.replaceChildren(fragment);
    document.getElementById('pending').replaceChildren(...renderPending(model));

    const counts = {};
    for (const d of model.devices.values()) counts[d.state] = (counts[d.state] || 0) + 1;
    const summary = document.getElementById('summary');
    summary.textContent = byNode.size + ' nodes, ' + model.devices.size + ' devices: ' +
        STATES.map((s) => (counts[s] || 0) + ' ' + s).join(', ') + '; ' +
        store.deviceclasses.size + ' device classes, ' + store.devicetaintrules.size +
        ' taint rules';
    for (const s of STATES) summary.dataset[s] = String(counts[s] || 0);

    // Where each device's state colour is, in page pixels.
    for (const e of nodes.querySelectorAll('[data-device]')) {
      const sw = e.classList.contains('mig') ? e : e.querySelector('.sw');
      const r = sw.getBoundingClientRect();
      e.dataset.swatch = [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]
                             .map((v) => Math.round(v)).join(',');
    }
    renders++;
    document.body.dataset.renders = String(renders);
    document.body.dataset.events = String(events);
    document.body.dataset.synced = String(synced.size === RESOURCES.length && !unauthorized);
  }

  let scheduled = false;
  function changed() {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => { scheduled = false; render(); }, 40);
  }

  document.addEventListener('DOMContentLoaded', () => {
    takeTokenFromFragment();
    document.getElementById('auth').addEventListener('submit', (e) => {
      e.preventDefault();
      const t = document.getElementById('token').value.trim();
      if (t === '') return;
      try { sessionStorage.setItem(TOKEN_KEY, t); } catch (err) { memoryToken = t; }
      document.getElementById('token').value = '';
      start();
    });
    window.addEventListener('hashchange', () => {
      if (/(^#|&)token=/.test(window.location.hash)) {
        takeTokenFromFragment();
        if (!waitingForOtherTab) start();
      }
    });
    startAlone();
  });
})();
