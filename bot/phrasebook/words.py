"""The word lists of the languages questions are read in: stems and their English."""

# Word lists: one meaning a line, "english: word word stem* …" (folded spelling: lower case,
# no accents, ё as е). A word ending in "*" is a stem and matches every word starting with it;
# the longest matching stem wins. English "-" drops the word, "!" marks a word of deleting.
WORDS = {
    "ru": """
        segment: сегмент* кластер* групп* сег
        customer: покупател* клиент* участник* посетител* член члена членов
        people: люди людей человек человека
        women: женщин* женск* девушек девушки
        men: мужчин* мужск* мужик*
        how many: сколько скока скоко скок
        number of: количеств* число численност*
        size of: размер*
        average: средн*
        median: медиан*
        total: сумм* всего итого общ*
        income: доход* зарплат* заработок заработк* получают
        earns: зарабатыва*
        age: возраст*
        years: лет год года
        spend: трат* расход*
        buys: покупает покупают покупал*
        score: оценк* балл*
        top: топ
        best: лучш*
        worst: худш*
        rich: богат* состоятельн*
        high: высок*
        low: низк*
        best: перспективн* выгодн* прибыльн* доходн* рентабельн*
        about: информац* инфа инфу
        difference: отличаю* отличае* отличия отличие отличий
        great: отлично супер класс круто прекрасно
        ok: ок окей оке
        target: упор реклам* направ*
        work: работать работаем работаете
        poor: бедн*
        old: стар* пожил*
        young: молод*
        valuable: ценн*
        loyal: лояльн* постоянн*
        most: самы* самого самой наиболее
        who: кто кого кому
        which: какой какая какое какие какую каком какого каких каким которы*
        what: что
        target: выбрать выбираем выберем выбери выбор нацел* целев* цель целью таргет* ориентир*
        target: ставк* рассылк*
        focus: фокус* сосредоточ* сконцентр*
        prioritize: приоритет*
        recommend: рекоменд* порекоменд* посовет* советуешь
        retain: удерж* сохранить
        so many: столько
        should: стоит нужно надо следует лучше должны должен
        we: мы
        could: можем могли могут может можно рискуем
        churn: потер* теря* отток* уйти уйдут уходят уходит ушли
        moved: перешл* перешедш* переместил*
        win back: вернуть
        discount: скидк*
        coupon: купон* промокод*
        voucher: ваучер* сертификат*
        give: дать дадим дать
        report: отчет* pdf
        presentation: презентац*
        print: распечат* печат*
        help: помощ* помоги помогите справк* подсказ* инструкц*
        commands: команд*
        compare: сравн*
        changes: изменени* динамик*
        changes: изменил* поменял*
        difference: разниц*
        month: месяц*
        last: прошл*
        chart: график* диаграмм* картинк* визуализ*
        profile: профил*
        draw: нарисуй
        export: экспорт* выгруз*
        download: скача* скачай
        excel: эксель* excel таблиц* xlsx
        files: файл*
        uploads: загрузк* загрузок
        overview: обзор*
        summary: сводк* итог итоги
        list: список* перечисли
        all: все всех всё
        show: покажи покажите показать показывай выведи дай
        show: расскажи расскажите рассказать подробн* опиши
        about: про о об
        find: найди найти найдите ищи поиск*
        hello: привет* здравств* хай салют
        start: начать начнем старт
        thanks: спасиб* пасиб* благодар* спс
        number: номер номером
        id: ид айди
        in: в во среди
        by: по
        and: и
        with: с со
        for: для
        -: пожалуйста пожалуйсто пжл пж плиз мне меня мой моя мое мои моих моим наш наша наше наши
        -: наших нашим нам нас а ли же бы вот ну это этот эта эти эту этих у есть ещё еще на за от
        -: слушай слушайте к ко там тут сейчас теперь просто именно вообще из них их ты вы тебе вам
        -: ли-то
        !: удал* стер* сотр* очист* забуд* забыв* забуть уничтож* сброс* сбрось
    """,
    "es": """
        segment: segment* cluster* grupo grupos seg
        customer: cliente* clienta* miembro* socio* comprador* consumidor* usuario*
        people: persona personas gente
        women: mujer* femenin* damas senoras chicas
        men: hombre* masculin* varon varones senores caballeros
        how many: cuantos cuantas cuanto cuanta
        number of: cantidad
        number: numero num
        size of: tamano
        average: promedi* media medio
        median: mediana
        total: total suma
        income: ingreso* salario* sueldo* renta
        age: edad* edades
        years: anos
        spend: gast*
        buys: compra compran compraron
        score: puntuacion* puntaje* puntos
        top: top
        best: mejor mejores
        worst: peor peores
        rich: rico ricos rica ricas adinerad*
        high: alto altos alta altas
        low: bajo bajos
        data: datos
        best: prometedor* potencial rentable* lucrativ* redituable*
        about: informacion info
        work: trabajar trabajamos trabajo
        poor: pobre pobres
        old: viejo viejos mayor mayores
        young: joven jovenes
        valuable: valios*
        loyal: leal leales fiel fieles
        most: mas
        least: menos
        who: quien quienes
        is: es
        which: cual cuales
        what: que
        target: atac* apunt* dirig* enfoc* objetivo* elegir elegimos elige elijo elijamos elegiria
        target: escog*
        target: escoj* apost*
        focus: centrar centramos centremos centrarnos concentr*
        prioritize: prioriz* prioridad*
        recommend: recomiend* recomend* aconsej*
        retain: reten* retien*
        so many: tantos tantas
        should: deberiamos debemos deberia debo debe deben conviene
        we: nosotros
        could: podriamos podemos podria pueden puede
        churn: perder perdemos perderiamos perdiendo perdido perdidos perdimos abandon* fuga
        earns: gana ganan
        win back: recuperar reconquistar
        discount: descuento*
        coupon: cupon cupones
        voucher: promocion promociones promo
        give: dar damos
        report: informe* reporte* pdf
        presentation: presentacion*
        print: imprimir imprime
        help: ayud* instrucciones
        commands: comando*
        compare: compar*
        changes: cambios
        changes: cambio cambiaron cambiado
        difference: diferencia*
        month: mes
        last: pasado anterior
        chart: grafic* diagrama* visualiz*
        profile: perfil*
        scatter: dispersion
        draw: dibuja dibujar
        export: export*
        download: descarg* bajar baja
        excel: excel planilla xlsx
        files: archivo*
        uploads: cargas subidas
        overview: panorama
        summary: resumen* resume
        list: lista listado enumera
        all: todos todas
        show: muestr* mostrar ensename ensenar ver dame pasame
        send: enviame envia envie manda mandame
        show: hablame habla cuentame cuenta describe detalles
        about: sobre acerca
        find: busca buscar buscame encuentra
        hello: hola buenas
        start: empezar comenzar iniciar
        thanks: gracias agradezco
        great: excelente genial perfecto
        in: en entre
        by: por
        and: y
        with: con
        for: para
        -: oye mira el la los las lo un una unos unas de del al mis mi tu tus su sus nuestros
        -: nuestras
        -: nuestro nuestra nos me te se le les hay son esta estan tengo tenemos tienen tiene favor
        -: porfa porfavor estamos estan este esta estos estas ese esa esos esas ahora ya a puedes
        -: podrias quiero quisiera
        !: borr* elimin* suprim* olvid* limpi* vaci* reseta* resetea* quita quitar
    """,
    "pt_BR": """
        segment: segment* cluster* grupo grupos seg
        customer: cliente* membro* socio* comprador* consumidor* usuario*
        people: pessoa pessoas gente
        women: mulher* feminin* mocas
        men: homem homens masculin* rapazes
        how many: quantos quantas quanto quanta qtos qtas qnts qts
        number of: quantidade
        number: numero num
        size of: tamanho
        average: media medio medias
        median: mediana
        total: total soma
        income: renda* salario* rendimento*
        age: idade*
        years: anos
        spend: gast* consumo
        buys: compra compram compraram
        score: pontuacao* pontos
        top: top
        best: melhor melhores
        worst: pior piores
        rich: rico ricos rica ricas
        high: alto altos alta altas
        low: baixo baixos
        data: dados
        best: promissor* potencial lucrativ* rentave*
        about: informacao informacoes info
        work: trabalhar trabalha trabalhamos
        poor: pobre pobres
        old: velho velhos velha velhas
        young: jovem jovens
        valuable: valios*
        loyal: leal leais fiel fieis
        most: mais
        least: menos
        who: quem
        is: eh
        which: qual quais
        what: que
        target: atac* focar focamos foco focarmos focada focado alvo* escolh* apost* direcion*
        target: ating*
        focus: concentr*
        prioritize: prioriz* prioridade*
        recommend: recomend* aconselh*
        retain: reter retemos manter mantemos segurar
        so many: tantos tantas
        should: devemos devo deveria deveriamos devia deve devem convem
        we: nos
        could: podemos poderiamos pode podem poderia
        churn: perder perdemos perdendo perdido perdidos perderiamos abandon* sumir sumiram sumindo
        earns: ganha ganham
        win back: recuperar reconquistar
        discount: desconto*
        coupon: cupom cupons cupon
        voucher: promocao promocoes promo
        give: dar damos
        report: relatorio* pdf
        presentation: apresentac*
        print: imprimir imprima
        help: ajud* instrucoes
        commands: comando*
        compare: compar*
        changes: mudanca mudancas
        changes: mudou mudaram
        difference: diferenca*
        month: mes
        last: passado anterior
        chart: grafico* diagrama* visualiz*
        profile: perfil* perfis
        scatter: dispersao
        draw: desenhe desenha desenhar
        export: export*
        download: baix* download
        excel: excel planilha* xlsx
        files: arquivo*
        uploads: envios uploads
        overview: panorama
        summary: resumo* resuma
        list: lista listagem liste
        all: todos todas
        show: mostr* exib* ver veja
        send: manda mande envie envia me manda
        show: fale fala conte conta detalh* descreva
        about: sobre
        find: procur* busc* ache encontre
        hello: ola oi opa
        start: comecar iniciar
        thanks: obrigad* valeu agradeco
        great: otimo excelente perfeito
        in: em no na nas entre
        by: por
        and: e
        with: com
        for: para pra pro
        -: olha pela pelo o a os as um uma uns umas do da dos das de meus minhas meu minha seu sua
        -: seus suas
        -: nossos nossas nosso nossa tenho temos tem tens estamos estao me te se ai ne pfv pf vc
        -: voce isso isto esse essa esses essas este esta estes estas agora ja eu quero queria
        -: poderia pode
        !: apag* exclu* delet* remov* esquec* limp* zerar zera resete*
    """,
    "id": """
        segment: segmen* kelompok* klaster* grup seg
        customer: pelanggan* anggota* konsumen* pembeli* nasabah* member* pelangan*
        people: orang
        women: perempuan* wanita* cewek
        men: pria lelaki laki cowok
        how many: berapa brp berapakah
        size of: ukuran
        average: rata2 rerata
        median: median
        total: total jumlah
        income: pendapatan* penghasilan* gaji* pemasukan*
        age: umur* usia*
        years: tahun
        spend: belanja* pengeluaran*
        buys: beli membeli
        score: skor* nilai
        top: top teratas
        best: terbaik
        worst: terburuk
        biggest: terbesar
        rich: kaya
        high: tinggi
        low: rendah
        best: menjanjikan potensial prospektif menguntungkan untung
        about: informasi info
        work: garap kerjakan
        first: duluan
        poor: miskin
        old: tua
        young: muda
        valuable: berharga
        loyal: loyal setia
        most: paling terbanyak
        least: tersedikit
        who: siapa
        which: mana
        what: apa
        target: target* sasar* pilih bidik* incar* arah*
        focus: fokus*
        prioritize: prioritas* utama*
        recommend: rekomendasi* sarankan saran
        retain: pertahan*
        so many: sebanyak
        should: harus sebaiknya perlu seharusnya mesti
        we: kita kami
        could: mungkin bisa dapat
        churn: hilang kehilangan kabur
        moved: pindah berpindah
        discount: diskon* potongan
        coupon: kupon
        voucher: voucher promo
        give: beri berikan kasih
        report: laporan* lapor pdf
        presentation: presentasi*
        print: cetak
        help: bantuan bantu panduan petunjuk
        commands: perintah
        compare: banding*
        changes: perubahan berubah
        difference: beda perbedaan
        month: bulan
        last: lalu sebelumnya kemarin
        chart: grafik* diagram* bagan visualisasi
        profile: profil*
        picture: gambar
        export: ekspor* export
        download: unduh* download
        excel: excel spreadsheet xlsx
        files: berkas file
        uploads: unggahan
        overview: ikhtisar
        summary: ringkasan rangkuman
        list: daftar
        all: semua seluruh
        show: tampil* tunjuk* lihat perlihatkan
        send: kirim kirimkan
        show: ceritakan jelaskan detail info
        about: tentang
        find: cari carikan temukan
        hello: halo hai hallo
        start: mulai
        thanks: makasih trims
        great: mantap bagus sip
        ok: oke ok
        number: nomor no
        in: di dalam
        by: menurut berdasarkan
        and: dan
        with: dengan
        for: untuk buat
        -: eh atas yang yg tolong mohon saya aku ada dong ya nih sih deh kok aja saja dulu sekarang
        -: apakah
        -: adalah ini itu punya coba ke dari nya kamu anda terus lalu jadi
        !: hapus* buang* lupa* bersih* kosongkan reset
    """,
}
