/*
 * idbro sync console: plain browser JavaScript, no framework and no build step (served as is by
 * server/console.ts). Everything goes through the public GraphQL API at /graphql with the token the operator
 * entered (sessionStorage: it lives as long as the tab). Data from the server is put on the page with
 * textContent only, never as HTML.
 *
 * Live updates come from a "job feed" (feed.js): today one that polls (syncJobs + the selected job), every
 * POLL_MS while a job is active. A `syncJobUpdated` subscription can replace it later with another feed of the
 * same start(onUpdate) / refresh() / stop() shape; nothing else on the page knows how updates arrive.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'idbro.console.token';
  /** Poll often while a job is queued or running (live bars), seldom when nothing moves. */
  var POLL_MS = 1000;
  var IDLE_POLL_MS = 5000;
  var JOBS_PAGE = 20;
  /** Issues per page: 50, or `?issues=N` in the page's URL. */
  var ISSUES_PAGE = Math.min(1000, Math.max(1, Number(new URLSearchParams(location.search).get('issues')) || 50));
  var STATES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
  var KINDS = ['LOS_IMPORT', 'FS_IMPORT', 'UNILOGIN_EXPORT', 'CRISTIN_EXPORT'];
  /** The start mutation of each kind (resolvers/sync.resolver.ts). */
  var START = {
    LOS_IMPORT: 'startLosImport',
    FS_IMPORT: 'startFsImport',
    UNILOGIN_EXPORT: 'startUniLoginExport',
    CRISTIN_EXPORT: 'startCristinExport',
  };
  var JOB_FIELDS =
    'id kind state progress message dryRun attempts createdAt startedAt finishedAt ' +
    'result { created updated unchanged terminated skipped failed }';

  var endpoint = document.body.getAttribute('data-graphql') || '/graphql';
  var $ = function (id) {
    return document.getElementById(id);
  };

  var state = {
    scopes: [],
    kinds: [],
    jobs: [],
    jobsTotal: null,
    jobsFilter: { kind: '', state: '' },
    /** Cursors of the pages before the current one (the first page has none). */
    jobsCursors: [null],
    jobsNext: null,
    selectedId: null,
    selected: null,
    issues: [],
    issuesPage: 0,
    issuesFor: null,
    pendingStart: null,
  };

  // ---- GraphQL ---------------------------------------------------------------------------------------

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  function gql(query, variables) {
    var headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    if (token()) headers.authorization = 'Bearer ' + token();
    return fetch(endpoint, {
      method: 'POST',
      headers: headers,
      body: JSON.stringify({ query: query, variables: variables || {} }),
    }).then(function (res) {
      return res
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          var errors = body.errors || [];
          if (
            res.status === 401 ||
            errors.some(function (e) {
              return e.extensions && e.extensions.code === 'UNAUTHENTICATED';
            })
          ) {
            var err = new Error(
              token()
                ? 'The token was not accepted: enter a valid API token.'
                : 'This gateway needs a token: enter an API token.',
            );
            err.code = 'UNAUTHENTICATED';
            throw err;
          }
          if (errors.length) {
            var e = new Error(
              errors
                .map(function (x) {
                  return x.message;
                })
                .join('; '),
            );
            e.code = errors[0].extensions && errors[0].extensions.code;
            throw e;
          }
          if (!res.ok) throw new Error('HTTP ' + res.status + ' from ' + endpoint);
          return body.data;
        });
    });
  }

  // ---- the job feed (feed.js: polling today; a subscription-backed feed can replace it) ------------------

  function loadJobsAndSelected() {
    var f = state.jobsFilter;
    var after = state.jobsCursors[state.jobsCursors.length - 1];
    var q =
      'query ConsoleJobs($kind: SyncKind, $state: SyncState, $first: Int, $after: String, $id: ID!, $withJob: Boolean!) {' +
      ' syncJobs(kind: $kind, state: $state, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ' +
      JOB_FIELDS +
      ' } } }' +
      ' syncKinds { kind available modes takesForce schedules { cron timeZone mode nextRunAt } lastRun { id state progress finishedAt createdAt dryRun } }' +
      ' job: syncJob(id: $id) @include(if: $withJob) { ' +
      JOB_FIELDS +
      ' issues(first: 500) @include(if: $withIssues) { severity message file line field record } } }';
    q = q.replace('$withJob: Boolean!)', '$withJob: Boolean!, $withIssues: Boolean!)');
    // A job's issues are read on every tick while it runs (they grow) and once after it ended.
    var sel = state.selected;
    var withIssues =
      !!state.selectedId &&
      (state.issuesFor !== state.selectedId || !sel || sel.state === 'QUEUED' || sel.state === 'RUNNING');
    return gql(q, {
      kind: f.kind || null,
      state: f.state || null,
      first: JOBS_PAGE,
      after: after,
      id: state.selectedId || '',
      withJob: !!state.selectedId,
      withIssues: withIssues,
    });
  }

  function anyActive() {
    var jobs = state.jobs.concat(state.selected ? [state.selected] : []);
    return jobs.some(function (j) {
      return j.state === 'QUEUED' || j.state === 'RUNNING';
    });
  }

  var feed = window.idbroConsoleFeeds.polling(loadJobsAndSelected, function () {
    return anyActive() ? POLL_MS : IDLE_POLL_MS;
  });

  function onFeed(err, data) {
    if (err) {
      notice(err.message);
      if (err.code === 'UNAUTHENTICATED') feed.stop();
      return;
    }
    notice('');
    state.kinds = data.syncKinds;
    state.jobs = data.syncJobs.edges.map(function (e) {
      return e.node;
    });
    state.jobsTotal = data.syncJobs.totalCount;
    state.jobsNext = data.syncJobs.pageInfo.hasNextPage ? data.syncJobs.pageInfo.endCursor : null;
    if (state.selectedId && data.job && data.job.id === state.selectedId) {
      state.selected = data.job;
      if (data.job.issues) {
        state.issues = data.job.issues;
        state.issuesFor = data.job.id;
      }
    }
    render();
  }

  // ---- rendering (textContent only) -----------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'class') node.className = attrs[k];
      else if (k === 'on')
        Object.keys(attrs.on).forEach(function (ev) {
          node.addEventListener(ev, attrs.on[ev]);
        });
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function fill(tbody, rows) {
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    rows.forEach(function (r) {
      tbody.appendChild(r);
    });
  }

  function when(iso) {
    if (!iso) return '';
    var d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleString();
  }

  function pct(p) {
    return Math.round((p || 0) * 100);
  }

  function bar(job) {
    var value = job.state === 'SUCCEEDED' ? 100 : pct(job.progress);
    var fillEl = el('div', { class: 'fill' });
    fillEl.style.width = value + '%';
    return el(
      'div',
      {
        class: 'bar state-' + job.state,
        role: 'progressbar',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': String(value),
        'data-job-id': job.id,
      },
      [fillEl, el('span', { text: value + ' %' })],
    );
  }

  function badge(s) {
    return el('span', { class: 'badge state-' + s, text: s });
  }

  function can(scope) {
    return state.scopes.indexOf(scope) >= 0;
  }

  /** Last data each part was drawn from: a part is redrawn only when it changed (keeps forms and focus). */
  var drawn = {};
  function changed(part, data) {
    var key = JSON.stringify(data);
    if (drawn[part] === key) return false;
    drawn[part] = key;
    return true;
  }

  function render() {
    $('whoami').textContent = state.scopes.length ? 'scopes: ' + state.scopes.join(', ') : '';
    document.body.classList.toggle('can-sync', can('sync'));
    if (changed('kinds', [state.kinds, state.scopes])) renderKinds();
    if (changed('jobs', [state.jobs, state.scopes, state.selectedId, state.jobsNext, state.jobsCursors.length]))
      renderJobs();
    renderJob();
  }

  function renderKinds() {
    fill(
      $('kinds').tBodies[0],
      state.kinds.map(function (k) {
        var schedules = k.schedules.length
          ? k.schedules
              .map(function (s) {
                return (
                  s.cron +
                  (s.mode ? ' (' + s.mode + ')' : '') +
                  (s.timeZone ? ' ' + s.timeZone : '') +
                  (s.nextRunAt ? ', next ' + when(s.nextRunAt) : '')
                );
              })
              .join('; ')
          : 'none';
        var last = k.lastRun
          ? el('span', {}, [
              badge(k.lastRun.state),
              ' ' + when(k.lastRun.finishedAt || k.lastRun.createdAt) + (k.lastRun.dryRun ? ' (dry run)' : ''),
            ])
          : el('span', { text: 'never' });
        return el('tr', { 'data-kind': k.kind, class: k.available ? '' : 'unavailable' }, [
          el('td', { text: k.kind + (k.available ? '' : ' (not available)') }),
          el('td', { text: schedules }),
          el('td', {}, [last]),
          el('td', { class: 'start-col' }, [
            can('sync') && k.available ? startForm(k) : el('span', { text: can('sync') ? '' : 'needs scope sync' }),
          ]),
        ]);
      }),
    );
  }

  /** Keeps what the operator chose in the start forms across re-renders (the feed re-renders every tick). */
  var formValues = {};

  function startForm(k) {
    var v = formValues[k.kind] || (formValues[k.kind] = { dryRun: true, mode: k.modes[0] || '', force: false });
    var dry = el('input', { type: 'checkbox', class: 'start-dry-run' });
    dry.checked = v.dryRun;
    dry.addEventListener('change', function () {
      v.dryRun = dry.checked;
    });
    var parts = [el('label', {}, [dry, ' dry run'])];
    if (k.modes.length) {
      var mode = el(
        'select',
        { class: 'start-mode' },
        k.modes.map(function (m) {
          return el('option', { value: m, text: m });
        }),
      );
      mode.value = v.mode;
      mode.addEventListener('change', function () {
        v.mode = mode.value;
      });
      parts.push(el('label', {}, ['mode ', mode]));
    }
    if (k.takesForce) {
      var force = el('input', { type: 'checkbox', class: 'start-force' });
      force.checked = v.force;
      force.addEventListener('change', function () {
        v.force = force.checked;
      });
      parts.push(el('label', {}, [force, ' force']));
    }
    parts.push(
      el('button', {
        type: 'button',
        class: 'start',
        text: 'Start',
        on: {
          click: function () {
            requestStart(k, v);
          },
        },
      }),
    );
    return el('div', { class: 'start-form' }, parts);
  }

  function requestStart(k, v) {
    var args = {
      dryRun: v.dryRun,
      mode: k.modes.length ? v.mode : undefined,
      force: k.takesForce ? v.force : undefined,
    };
    if (args.force) {
      state.pendingStart = { kind: k.kind, args: args };
      $('confirm-text').textContent =
        'Start ' +
        k.kind +
        (args.mode ? ' (' + args.mode + ')' : '') +
        (args.dryRun ? ' as a dry run' : '') +
        ' with force? Force runs it even when its guard would stop it (far fewer persons than last time, a much smaller file).';
      $('confirm').hidden = false;
      return;
    }
    start(k.kind, args);
  }

  function start(kind, args) {
    var decl = ['$dryRun: Boolean'];
    var pass = ['dryRun: $dryRun'];
    if (args.mode !== undefined) {
      decl.push('$mode: UniLoginExportMode!');
      pass.push('mode: $mode');
    }
    if (args.force !== undefined) {
      decl.push('$force: Boolean');
      pass.push('force: $force');
    }
    var q =
      'mutation ConsoleStart(' +
      decl.join(', ') +
      ') { job: ' +
      START[kind] +
      '(' +
      pass.join(', ') +
      ') { ' +
      JOB_FIELDS +
      ' } }';
    return gql(q, args).then(
      function (data) {
        var job = data.job;
        // Show it at once (QUEUED, 0 %) rather than at the next tick.
        state.jobs = [job].concat(
          state.jobs.filter(function (j) {
            return j.id !== job.id;
          }),
        );
        select(job.id, job);
        render();
        return feed.refresh();
      },
      function (err) {
        notice('Could not start ' + kind + ': ' + err.message);
      },
    );
  }

  function cancel(id) {
    return gql('mutation ConsoleCancel($id: ID!) { job: cancelSyncJob(id: $id) { ' + JOB_FIELDS + ' } }', {
      id: id,
    }).then(
      function () {
        return feed.refresh();
      },
      function (err) {
        notice('Could not cancel: ' + err.message);
      },
    );
  }

  function renderJobs() {
    fill(
      $('jobs').tBodies[0],
      state.jobs.map(function (j) {
        var active = j.state === 'QUEUED' || j.state === 'RUNNING';
        return el(
          'tr',
          {
            'data-job-id': j.id,
            class: j.id === state.selectedId ? 'selected' : '',
            on: {
              click: function () {
                select(j.id);
                feed.refresh();
              },
            },
          },
          [
            el('td', { text: when(j.startedAt || j.createdAt) }),
            el('td', { text: j.kind + (j.dryRun ? ' (dry run)' : '') }),
            el('td', {}, [badge(j.state)]),
            el('td', {}, [bar(j)]),
            el('td', { class: 'message', text: j.message || '' }),
            el('td', {}, [
              active && can('sync')
                ? el('button', {
                    type: 'button',
                    class: 'cancel',
                    text: 'Cancel',
                    on: {
                      click: function (ev) {
                        ev.stopPropagation();
                        cancel(j.id);
                      },
                    },
                  })
                : null,
            ]),
          ],
        );
      }),
    );
    $('jobs-count').textContent = state.jobsTotal === null ? '' : state.jobsTotal + ' job(s)';
    $('jobs-older').disabled = !state.jobsNext;
    $('jobs-newest').disabled = state.jobsCursors.length <= 1;
  }

  function select(id, job) {
    if (state.selectedId !== id) {
      state.issuesPage = 0;
      state.issues = [];
      state.issuesFor = null;
    }
    state.selectedId = id;
    state.selected =
      job ||
      state.jobs.filter(function (j) {
        return j.id === id;
      })[0] ||
      null;
  }

  function filteredIssues() {
    var sev = $('issues-severity').value;
    var text = $('issues-search').value.trim().toLowerCase();
    return state.issues.filter(function (i) {
      if (sev && i.severity !== sev) return false;
      if (!text) return true;
      return [i.file, i.message, i.record, i.field].some(function (s) {
        return s && String(s).toLowerCase().indexOf(text) >= 0;
      });
    });
  }

  function renderJob() {
    var j = state.selected;
    $('job-section').hidden = !j;
    if (!j) return;
    $('job-id').textContent = j.id;
    var summary = [
      ['Kind', j.kind + (j.dryRun ? ' (dry run)' : '')],
      ['State', j.state],
      ['Progress', pct(j.state === 'SUCCEEDED' ? 1 : j.progress) + ' %'],
      ['Message', j.message || ''],
      ['Attempts', String(j.attempts)],
      ['Created', when(j.createdAt)],
      ['Started', when(j.startedAt)],
      ['Finished', when(j.finishedAt)],
    ];
    var dl = $('job-summary');
    while (dl.firstChild) dl.removeChild(dl.firstChild);
    summary.forEach(function (p) {
      dl.appendChild(el('dt', { text: p[0] }));
      dl.appendChild(el('dd', { text: p[1], 'data-field': p[0].toLowerCase() }));
    });
    var r = j.result;
    fill(
      $('job-counts').tBodies[0],
      r
        ? [
            el(
              'tr',
              {},
              ['created', 'updated', 'unchanged', 'terminated', 'skipped', 'failed'].map(function (c) {
                return el('td', { 'data-count': c, text: String(r[c]) });
              }),
            ),
          ]
        : [],
    );

    var list = filteredIssues();
    var pages = Math.max(1, Math.ceil(list.length / ISSUES_PAGE));
    if (state.issuesPage >= pages) state.issuesPage = pages - 1;
    var from = state.issuesPage * ISSUES_PAGE;
    var shown = list.slice(from, from + ISSUES_PAGE);
    $('issues-count').textContent =
      '(' + list.length + (list.length !== state.issues.length ? ' of ' + state.issues.length : '') + ')';
    $('issues-page').textContent = list.length ? from + 1 + '–' + (from + shown.length) + ' of ' + list.length : 'none';
    $('issues-prev').disabled = state.issuesPage === 0;
    $('issues-next').disabled = state.issuesPage >= pages - 1;
    fill(
      $('issues').tBodies[0],
      shown.map(function (i) {
        return el('tr', { class: 'sev-' + i.severity }, [
          el('td', {}, [el('span', { class: 'badge sev-' + i.severity, text: i.severity })]),
          el('td', { text: i.file || '' }),
          el('td', { text: i.line === null || i.line === undefined ? '' : String(i.line) }),
          el('td', { text: i.field || '' }),
          el('td', { text: i.message }),
          el('td', { class: 'record', text: i.record || '', title: i.record || '' }),
        ]);
      }),
    );
  }

  function notice(text) {
    $('notice').textContent = text;
    $('notice').hidden = !text;
  }

  // ---- start-up ---------------------------------------------------------------------------------------

  /** Asks who the token is; the page offers what its scopes allow and starts the feed when it may read. */
  function connect() {
    feed.stop();
    return gql('query ConsoleViewer { viewer { scopes } }').then(
      function (data) {
        state.scopes = data.viewer.scopes;
        render();
        if (!can('read')) {
          notice('This token has no scope read: the console cannot show the syncs.');
          return;
        }
        feed.start(onFeed);
      },
      function (err) {
        state.scopes = [];
        state.kinds = [];
        state.jobs = [];
        state.selected = null;
        state.selectedId = null;
        render();
        // Every query needs scope read (server/http.ts), viewer too: a sync-only token is valid but cannot read.
        notice(
          err.code === 'FORBIDDEN'
            ? 'This token has no scope read: the console needs it to show the syncs.'
            : err.message,
        );
      },
    );
  }

  KINDS.forEach(function (k) {
    $('jobs-kind').appendChild(el('option', { value: k, text: k }));
  });
  STATES.forEach(function (s) {
    $('jobs-state').appendChild(el('option', { value: s, text: s }));
  });

  $('token').value = token();
  $('token-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var t = $('token').value.trim();
    if (t) sessionStorage.setItem(TOKEN_KEY, t);
    else sessionStorage.removeItem(TOKEN_KEY);
    connect();
  });
  $('token-forget').addEventListener('click', function () {
    sessionStorage.removeItem(TOKEN_KEY);
    $('token').value = '';
    connect();
  });
  function refilter() {
    state.jobsFilter = { kind: $('jobs-kind').value, state: $('jobs-state').value };
    state.jobsCursors = [null];
    feed.refresh();
  }
  $('jobs-kind').addEventListener('change', refilter);
  $('jobs-state').addEventListener('change', refilter);
  $('jobs-older').addEventListener('click', function () {
    if (state.jobsNext) {
      state.jobsCursors.push(state.jobsNext);
      feed.refresh();
    }
  });
  $('jobs-newest').addEventListener('click', function () {
    state.jobsCursors = [null];
    feed.refresh();
  });
  $('issues-severity').addEventListener('change', function () {
    state.issuesPage = 0;
    renderJob();
  });
  $('issues-search').addEventListener('input', function () {
    state.issuesPage = 0;
    renderJob();
  });
  $('issues-prev').addEventListener('click', function () {
    state.issuesPage = Math.max(0, state.issuesPage - 1);
    renderJob();
  });
  $('issues-next').addEventListener('click', function () {
    state.issuesPage += 1;
    renderJob();
  });
  $('confirm-yes').addEventListener('click', function () {
    var p = state.pendingStart;
    state.pendingStart = null;
    $('confirm').hidden = true;
    if (p) start(p.kind, p.args);
  });
  $('confirm-no').addEventListener('click', function () {
    state.pendingStart = null;
    $('confirm').hidden = true;
  });

  connect();
})();
