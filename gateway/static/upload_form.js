// The invoice upload form: shows the chosen file's name in the page's language (the browser's
// own file button is hidden, see .file-input in app.css).
document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("file");
  const name = document.getElementById("file-name");
  if (!input || !name) return;
  const show = () => {
    const file = input.files && input.files[0];
    name.textContent = file ? file.name : name.dataset.none;
    name.classList.toggle("chosen", Boolean(file));
  };
  input.addEventListener("change", show);
  show();
});
