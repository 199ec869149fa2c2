// django-celery-beat's periodic task form: shows the chosen crontab in words under the
// field (the package's inline script, moved here for the Content Security Policy).
(function () {
  const script = document.currentScript;
  const $ = window.django.jQuery;
  const readableCrontabs = JSON.parse($("#readable-crontabs").text());
  const originalHelp = script.dataset.crontabHelp || "";
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    const words = readableCrontabs[$("#id_crontab").val()] || "";
    const help = $(".field-crontab .help");
    help.text(originalHelp);
    if (words) {
      help.append($("<br>"), document.createTextNode("Translation: " + words));
    }
  });
})();
