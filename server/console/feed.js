/*
 * Job feeds of the idbro sync console. A feed delivers fresh data to the page:
 *
 *   var feed = idbroConsoleFeeds.polling(load, intervalMs);
 *   feed.start(function (err, data) { … });  // called after every load
 *   feed.refresh();                           // load now (after a start, a cancel, a filter change)
 *   feed.stop();
 *
 * Today there is only the polling feed: the GraphQL API has no `syncJobUpdated` subscription yet. A feed over
 * such a subscription (graphql-ws) can be added here with the same start/refresh/stop shape, and console.js
 * switches to it without any other change.
 */
(function () {
  'use strict';

  /**
   * Calls `load()` (a promise of the data), then again `intervalMs()` ms after each answer (asked each time, so
   * the page can poll often while jobs run and seldom when nothing moves). Only the newest load's answer is
   * delivered: an older one that arrives late (a refresh overtook it) is dropped instead of undoing the newer.
   */
  function polling(load, intervalMs) {
    var timer = null;
    var running = false;
    var seq = 0;
    var onUpdate = function () {};
    function tick() {
      if (timer) clearTimeout(timer);
      timer = null;
      var mine = ++seq;
      return load()
        .then(
          function (data) {
            return [null, data];
          },
          function (err) {
            return [err];
          },
        )
        .then(function (r) {
          if (mine !== seq || !running) return;
          onUpdate(r[0], r[1]);
          if (running && timer === null) timer = setTimeout(tick, intervalMs());
        });
    }
    return {
      start: function (cb) {
        onUpdate = cb;
        if (!running) {
          running = true;
          tick();
        }
      },
      stop: function () {
        running = false;
        seq++;
        if (timer) clearTimeout(timer);
        timer = null;
      },
      refresh: function () {
        return running ? tick() : Promise.resolve();
      },
    };
  }

  window.idbroConsoleFeeds = { polling: polling };
})();
