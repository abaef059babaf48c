using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Harness.Metrics.Tests.Browser;

/// <summary>
/// Debian's headless Chromium driven through chromedriver's W3C WebDriver HTTP API with a plain HttpClient (no
/// Selenium package): navigate, run a script, take a screenshot, read the console log. Every call is bounded by a
/// timeout, and disposing always ends the session and kills chromedriver with every browser process under it, so a
/// hung browser fails a test instead of hanging CI.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    /// <summary>What to run when the browser is missing (CI's .ci/run does it).</summary>
    public const string InstallHint = "apt-get install -y chromium chromium-driver";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _driver;
    private readonly StringBuilder _driverOutput;
    private readonly HttpClient _http;
    private readonly string _userDataDir;
    private string? _sessionId;

    private HeadlessChromium(Process driver, StringBuilder driverOutput, HttpClient http, string userDataDir)
    {
        _driver = driver;
        _driverOutput = driverOutput;
        _http = http;
        _userDataDir = userDataDir;
    }

    /// <summary>Why the browser cannot run here (with the install command), or null when Chromium and chromedriver are installed.</summary>
    public static string? Missing()
    {
        var missing = new[] { ChromiumPath, DriverPath }.Where(p => !File.Exists(p)).ToList();
        return missing.Count == 0
            ? null
            : $"{string.Join(" and ", missing)} not found: the browser tests need Debian's Chromium and ChromeDriver. " +
              $"Install them with `{InstallHint}` (as root; .ci/run does this on CI).";
    }

    /// <summary>Starts chromedriver on a free loopback port and opens a headless session of <paramref name="windowWidth"/> × <paramref name="windowHeight"/>.</summary>
    public static async Task<HeadlessChromium> StartAsync(int windowWidth, int windowHeight, CancellationToken cancellation)
    {
        int port = FreePort();
        var output = new StringBuilder();
        var start = new ProcessStartInfo(DriverPath, [$"--port={port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var driver = Process.Start(start) ?? throw new InvalidOperationException($"could not start {DriverPath}");
        driver.OutputDataReceived += (_, e) => Append(output, e.Data);
        driver.ErrorDataReceived += (_, e) => Append(output, e.Data);
        driver.BeginOutputReadLine();
        driver.BeginErrorReadLine();

        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = RequestTimeout };
        var browser = new HeadlessChromium(driver, output, http, Directory.CreateTempSubdirectory("harness-chromium-profile-").FullName);
        try
        {
            await browser.WaitUntilReadyAsync(cancellation);
            await browser.CreateSessionAsync(windowWidth, windowHeight, cancellation);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Loads <paramref name="url"/> and waits for the page load (bounded by the session's page-load timeout).</summary>
    public Task NavigateAsync(string url, CancellationToken cancellation) =>
        SendAsync(HttpMethod.Post, $"session/{_sessionId}/url", new JsonObject { ["url"] = url }, cancellation);

    /// <summary>Runs <paramref name="script"/> (a function body; use <c>return</c>) in the page and returns its JSON value.</summary>
    public Task<JsonNode?> ExecuteAsync(string script, CancellationToken cancellation) =>
        SendAsync(HttpMethod.Post, $"session/{_sessionId}/execute/sync", new JsonObject { ["script"] = script, ["args"] = new JsonArray() }, cancellation);

    /// <summary>A PNG of the whole page, beyond the window if the page is taller (through chromedriver's DevTools passthrough).</summary>
    public async Task<byte[]> FullPageScreenshotAsync(CancellationToken cancellation)
    {
        var size = await ExecuteAsync(
            "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight];", cancellation);
        var parameters = new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject
            {
                ["x"] = 0, ["y"] = 0, ["width"] = size![0]!.GetValue<double>(), ["height"] = size[1]!.GetValue<double>(), ["scale"] = 1,
            },
        };
        var result = await SendAsync(HttpMethod.Post, $"session/{_sessionId}/goog/cdp/execute",
            new JsonObject { ["cmd"] = "Page.captureScreenshot", ["params"] = parameters }, cancellation);
        return Convert.FromBase64String(result!["data"]!.GetValue<string>());
    }

    /// <summary>The browser console entries since the last call (level, source, message), e.g. SEVERE for errors and failed loads.</summary>
    public async Task<IReadOnlyList<(string Level, string Source, string Message)>> BrowserLogAsync(CancellationToken cancellation)
    {
        var entries = await SendAsync(HttpMethod.Post, $"session/{_sessionId}/se/log", new JsonObject { ["type"] = "browser" }, cancellation);
        return entries!.AsArray()
            .Select(e => (e!["level"]?.GetValue<string>() ?? "", e["source"]?.GetValue<string>() ?? "", e["message"]?.GetValue<string>() ?? ""))
            .ToList();
    }

    /// <summary>Ends the session (briefly), then kills chromedriver and every browser process it started, and removes the profile.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_sessionId is not null)
        {
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _http.DeleteAsync($"session/{_sessionId}", quick.Token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // The kill below ends a browser that did not quit.
            }
        }

        try
        {
            if (!_driver.HasExited) _driver.Kill(entireProcessTree: true);
            _driver.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _driver.Dispose();
        _http.Dispose();
        try
        {
            Directory.Delete(_userDataDir, recursive: true);
        }
        catch (IOException)
        {
            // A browser process still closing a file; the folder is in the temp folder, so leaving it is harmless.
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(StartTimeout);
        while (true)
        {
            if (_driver.HasExited)
                throw new InvalidOperationException($"chromedriver exited with code {_driver.ExitCode} before it was ready:\n{DriverOutput()}");
            try
            {
                var status = JsonNode.Parse(await _http.GetStringAsync("status", timeout.Token));
                if (status?["value"]?["ready"]?.GetValue<bool>() == true) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
            {
                throw new TimeoutException($"chromedriver was not ready after {StartTimeout.TotalSeconds:0} s:\n{DriverOutput()}");
            }

            try
            {
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                throw new TimeoutException($"chromedriver was not ready after {StartTimeout.TotalSeconds:0} s:\n{DriverOutput()}");
            }
        }
    }

    private async Task CreateSessionAsync(int width, int height, CancellationToken cancellation)
    {
        // As root Chromium needs --no-sandbox; the networking switches keep it from calling Google's services, which
        // a closed network refuses (noise in the log, and slow starts).
        string[] args =
        [
            "--headless=new", "--no-sandbox", "--disable-gpu", $"--window-size={width},{height}", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-quic", "--disable-extensions", "--hide-scrollbars", $"--user-data-dir={_userDataDir}",
        ];
        var capabilities = new JsonObject
        {
            ["capabilities"] = new JsonObject
            {
                ["alwaysMatch"] = new JsonObject
                {
                    ["browserName"] = "chrome",
                    ["goog:chromeOptions"] = new JsonObject
                    {
                        ["binary"] = ChromiumPath,
                        ["args"] = new JsonArray(args.Select(a => (JsonNode?)a).ToArray()),
                    },
                    ["goog:loggingPrefs"] = new JsonObject { ["browser"] = "ALL" },
                    ["timeouts"] = new JsonObject { ["pageLoad"] = 15000, ["script"] = 10000, ["implicit"] = 0 },
                },
            },
        };
        var session = await SendAsync(HttpMethod.Post, "session", capabilities, cancellation);
        _sessionId = session?["sessionId"]?.GetValue<string>()
                     ?? throw new InvalidOperationException($"chromedriver returned no session id: {session?.ToJsonString()}");
    }

    /// <summary>One WebDriver command; returns the response's "value", or throws with the driver's error and log.</summary>
    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellation);
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"chromedriver did not answer {method} /{path} within {RequestTimeout.TotalSeconds:0} s:\n{DriverOutput()}", e);
        }

        using (response)
        {
            string text = await response.Content.ReadAsStringAsync(cancellation);
            var value = JsonNode.Parse(text)?["value"];
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException(
                    $"{method} /{path}: HTTP {(int)response.StatusCode} {value?["error"]}: {value?["message"]}\n{DriverOutput()}");
            return value;
        }
    }

    private string DriverOutput()
    {
        lock (_driverOutput) return _driverOutput.ToString();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
