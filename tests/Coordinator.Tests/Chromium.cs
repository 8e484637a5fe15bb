using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace RnnSearch.Coordinator.Tests;

/// <summary>
/// Debian's headless Chromium driven through Debian's chromedriver, both named explicitly (Selenium Manager never
/// runs: nothing may be downloaded here). Disposing quits the browser and kills the driver's process tree by PID.
/// </summary>
internal sealed class Chromium : IDisposable
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    private readonly ChromeDriverService _service;
    private readonly string _profile;

    public static bool Available => File.Exists(Browser) && File.Exists(Driver);

    public ChromeDriver WebDriver { get; }

    public Chromium(int width = 1440, int height = 2400)
    {
        if (!Available) throw new InvalidOperationException($"{Browser} or {Driver} is missing: apt-get install -y chromium chromium-driver (.ci/install-deps)");
        _profile = Path.Combine(Path.GetTempPath(), "rnnsearch-chromium", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_profile);
        _service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        _service.SuppressInitialDiagnosticInformation = true;
        _service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", $"--user-data-dir={_profile}", $"--window-size={width},{height}");
        try
        {
            WebDriver = new ChromeDriver(_service, options, TimeSpan.FromSeconds(90));
        }
        catch
        {
            KillDriverTree();
            _service.Dispose();
            throw;
        }
    }

    /// <summary>Polls until the condition holds (exceptions count as "not yet"); the last failure explains a timeout.</summary>
    public static void WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (condition()) return;
                last = null;
            }
            catch (Exception e) when (e is WebDriverException or InvalidOperationException or FormatException or NullReferenceException)
            {
                last = e;
            }
            Thread.Sleep(250);
        }
        throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}{(last is null ? "" : $" (last error: {last.Message})")}");
    }

    public void Screenshot(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WebDriver.GetScreenshot().SaveAsFile(path);
    }

    public void Dispose()
    {
        try
        {
            WebDriver.Quit();
        }
        catch (WebDriverException)
        {
        }
        finally
        {
            KillDriverTree();
            _service.Dispose();
            try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private void KillDriverTree()
    {
        try
        {
            if (_service.ProcessId <= 0) return;
            using var driver = Process.GetProcessById(_service.ProcessId);
            if (!driver.HasExited) driver.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}

/// <summary>
/// A fact that needs Debian's chromium and chromedriver: skipped (visibly, with the install command) when they are
/// missing on a developer's machine, but never in CI (CI=true), where .ci/install-deps installs them.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!Chromium.Available && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Skip = $"needs {Chromium.Browser} and {Chromium.Driver}: apt-get install -y chromium chromium-driver (.ci/install-deps does it in CI)";
    }
}
