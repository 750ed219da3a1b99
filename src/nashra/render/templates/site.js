(function () {
  "use strict";

  // The feed address: copied with the Clipboard API where allowed, else by selection.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = document.querySelector(".copy-status");
      var say = function (ok) {
        if (status) status.textContent = ok ? "نُسخ العنوان." : "حدّد العنوان وانسخه يدويًا.";
      };
      field.focus();
      field.select();
      var fallback = function () {
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        say(ok);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { say(true); }, fallback);
      } else {
        fallback();
      }
    });
  });

  var player = document.getElementById("player");
  if (!player) return;

  var marks = function (selector) {
    var nodes = Array.prototype.slice.call(document.querySelectorAll(selector));
    var times = function (name) { return nodes.map(function (n) { return parseFloat(n.getAttribute(name)); }); };
    return { nodes: nodes, starts: times("data-start"), ends: times("data-end"), current: null };
  };
  var cues = marks(".cue");
  // Each word as it is said (pages of episodes whose engine reported word timings).
  var words = marks(".word");
  var chapters = marks(".chapter");
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // The last mark starting at or before t: a sentence stays lit through the pause after it.
  var at = function (starts, t) {
    var lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t + 0.001) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  };

  // `until`: a mark is lit only until its end (a word, not through the pause after it).
  var show = function (group, className, follow, until) {
    var index = at(group.starts, player.currentTime);
    if (until && index >= 0 && player.currentTime > group.ends[index] + 0.05) index = -1;
    var node = index >= 0 ? group.nodes[index] : null;
    if (node === group.current) return;
    if (group.current) {
      group.current.classList.remove(className);
      group.current.removeAttribute("aria-current");
    }
    if (node) {
      node.classList.add(className);
      node.setAttribute("aria-current", "true");
      if (follow && !player.paused) {
        var box = node.getBoundingClientRect();
        var top = (document.querySelector(".player") || player).getBoundingClientRect().bottom;
        if (box.top < top || box.bottom > window.innerHeight) {
          node.scrollIntoView({ block: "center", behavior: reduceMotion ? "auto" : "smooth" });
        }
      }
    }
    group.current = node;
  };

  var update = function () {
    show(cues, "active", true);
    show(words, "said", false, true);
    show(chapters, "active", false);
  };

  var frame = 0;
  var tick = function () {
    update();
    frame = player.paused ? 0 : window.requestAnimationFrame(tick);
  };

  var seek = function (seconds) {
    player.currentTime = seconds;
    update();
    var playing = player.play();
    if (playing && playing.catch) playing.catch(function () {});
  };

  player.addEventListener("play", function () { if (!frame) frame = window.requestAnimationFrame(tick); });
  ["timeupdate", "seeked", "loadedmetadata"].forEach(function (name) {
    player.addEventListener(name, update);
  });

  [cues, chapters, words].forEach(function (group) {
    group.nodes.forEach(function (node, index) {
      node.addEventListener("click", function (event) {
        event.stopPropagation();  // a word's click is the word's, not its sentence's
        seek(group.starts[index]);
      });
      if (group === words) return;
      if (node.tagName !== "BUTTON") {
        node.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            seek(group.starts[index]);
          }
        });
      }
    });
  });

  // A shared link may carry a start time, as in page.html#t=95.
  var start = /^#t=(\d+(?:\.\d+)?)$/.exec(window.location.hash);
  if (start) player.currentTime = parseFloat(start[1]);
})();
