/* Voice notes for Mihan's messages: record with the browser's MediaRecorder, send the
   recording to POST /messages/<conversation>/voice (same origin, the session cookie), and
   answer the page's state with {recording: true}, {ok: true} or {error: "..."}.
   Bundled with the app: no CDN, no library. */
window.mihanVoice = (function () {
  "use strict";
  var MAX_MS = 5 * 60 * 1000; // the server refuses longer notes; stop before
  var TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
  var recorder = null;
  var stream = null;
  var chunks = [];
  var conversation = 0;
  var timer = null;

  function pickType() {
    for (var i = 0; i < TYPES.length; i++) {
      if (window.MediaRecorder && MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(TYPES[i])) {
        return TYPES[i];
      }
    }
    return "";
  }

  function upload(blob) {
    return fetch("/messages/" + conversation + "/voice", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": blob.type || "application/octet-stream", "X-Mihan-Voice": "1" },
      body: blob,
    })
      .then(function (response) {
        return response.json().catch(function () {
          return { error: "message.voice_failed" };
        });
      })
      .catch(function () {
        return { error: "message.voice_failed" };
      });
  }

  function start(id) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
      return Promise.resolve({ error: "unsupported" });
    }
    return navigator.mediaDevices
      .getUserMedia({ audio: true })
      .then(function (s) {
        stream = s;
        chunks = [];
        conversation = id;
        var type = pickType();
        recorder = type ? new MediaRecorder(s, { mimeType: type }) : new MediaRecorder(s);
        recorder.ondataavailable = function (event) {
          if (event.data && event.data.size) chunks.push(event.data);
        };
        recorder.start(500);
        timer = setTimeout(stop, MAX_MS);
        return { recording: true };
      })
      .catch(function () {
        return { error: "denied" };
      });
  }

  function stop() {
    if (!recorder) return Promise.resolve({ error: "message.voice_failed" });
    clearTimeout(timer);
    var done = recorder;
    recorder = null;
    return new Promise(function (resolve) {
      done.onstop = function () {
        if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
        stream = null;
        var blob = new Blob(chunks, { type: (done.mimeType || "audio/webm").split(";")[0] });
        chunks = [];
        upload(blob).then(resolve);
      };
      done.stop();
    });
  }

  return {
    toggle: function (id) {
      return recorder ? stop() : start(id);
    },
    recording: function () {
      return recorder !== null;
    },
  };
})();
