# Smoke test for Ruby layers: run as `ruby -e <this> gem...` with GEM_PATH and RUBYLIB as Lambda sets
# them. A gem is required by its name and, as Bundler.require does, by its name with - as / when that
# fails (gem "rack-test" is `require "rack/test"`). Prints one `LLR-SMOKE {json}` line per gem.
require 'json'
ARGV.each do |name|
  start = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  result = begin
    begin
      require name
    rescue LoadError => first
      raise first unless name.include?('-')
      begin
        require name.tr('-', '/')
      rescue LoadError
        raise first
      end
    end
    { module: name, ok: true }
  rescue Exception => error
    { module: name, ok: false, error: "#{error.class}: #{error.message}" }
  end
  result[:ms] = ((Process.clock_gettime(Process::CLOCK_MONOTONIC) - start) * 1000).round(1)
  puts "LLR-SMOKE #{JSON.generate(result)}"
  $stdout.flush
end
